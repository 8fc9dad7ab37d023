"""Sayso's HTTP service: a Flask app factory.

    gunicorn 'service:create_app()'
"""
from __future__ import annotations

from typing import Optional

from flask import Flask

from core.settings import Settings


def create_app(settings: Optional[Settings] = None, checker=None) -> Flask:
    """Build the app. Loads the models and opens the store unless a checker is given."""
    # Imported here, not above: `import service` (gunicorn reads service.gunicorn_conf)
    # must not load the models' libraries before gunicorn_conf keeps torch out.
    from core import FactChecker

    from . import editor, problems, safety
    from .api import articles, checks, feedback, meta

    settings = settings or Settings.from_env()
    app = Flask(__name__)
    app.config["SAYSO"] = settings
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    app.json.sort_keys = False
    problems.register(app)
    for module in (articles, checks, feedback, meta):
        app.register_blueprint(module.blueprint)
    app.register_blueprint(editor.blueprint)  # the editor's page at /
    app.extensions["sayso"] = checker or FactChecker.open(settings)
    from imports.api import attach  # batches and jobs: POST /v1/articles/batch, GET /v1/jobs/{id}

    attach(app)
    safety.register(app)  # keys, limits, audit, CORS, logs, metrics: after the routes
    return app
