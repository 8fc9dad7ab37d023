"""CORS with Flask-CORS: off unless SAYSO_CORS_ORIGINS names origins, and then only on
the check routes (those that declare the `check` scope), never on ingest, delete or
admin routes. Browsers may send the key (Authorization) and a request id."""
from __future__ import annotations

import re

from flask import Flask
from flask_cors import CORS

from .auth import CHECK, declared_scope


def register(app: Flask, origins: tuple[str, ...]) -> None:
    if not origins:
        return
    paths = {
        "^" + re.sub(r"<[^>]+>", "[^/]+", rule.rule) + "$"
        for rule in app.url_map.iter_rules()
        if declared_scope(app, rule.endpoint) == CHECK
    }
    CORS(
        app,
        resources={path: {} for path in sorted(paths)},
        origins=list(origins),
        allow_headers=["Authorization", "Content-Type", "X-Request-ID"],
        expose_headers=["X-Request-ID", "Retry-After", "Server-Timing"],
        max_age=600,
    )
