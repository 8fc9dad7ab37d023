"""What makes Sayso safe to put on a network, wired in the order the hooks must run:
request id and log line (first in, last out), key and scope, rate limit, audit, CORS."""
from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from index.audit import AuditTrail
from index.keys import KeyRing

from . import audit, auth, cors, limits, observability
from .api import admin


def register(app: Flask) -> None:
    """Call once the other blueprints are registered (CORS reads the URL map)."""
    settings = app.config["SAYSO"]
    store = app.extensions["sayso"].store
    if settings.trusted_proxies:
        n = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)
    app.register_blueprint(admin.blueprint)
    observability.register(app)
    gate = auth.register(app, KeyRing(store))
    limits.register(app, prefix=f"sayso:{store.store_id()}:")
    audit.register(app, AuditTrail(store))
    cors.register(app, settings.cors_origins)
    if not gate.keys_required():
        observability.log.warning(
            "running open: no API key exists",
            clients="any" if settings.auth == "off" else "loopback only",
            hint="create one with `sayso keys create`; once one exists, every call but /v1/health needs a key",
        )
