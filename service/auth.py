"""Who may call what: API keys with scopes, sent as ``Authorization: Bearer KEY``.

Every route declares what it needs, ``@requires(INGEST)`` or ``@public``; a hook run
before each request checks the key against it (tests/service/test_auth.py walks the
URL map and fails on a route that declares nothing; at run time such a route needs
``admin``). While no key has ever been made the service is open, to loopback clients
only unless ``SAYSO_AUTH=off``; once one exists, every non-public route needs a key.
"""
from __future__ import annotations

import ipaddress
from typing import Callable, Optional

from flask import Flask, current_app, g, request

from index.keys import ADMIN, CHECK, FEEDBACK, INGEST, READ, KeyRing, scopes_of  # noqa: F401 (re-exported)

from .problems import Problem

PUBLIC = "public"
SCOPE_ATTRIBUTE = "sayso_scope"
OPEN_WHEN_ATTRIBUTE = "sayso_open_when"
PUBLIC_ENDPOINTS = {"static", "editor.static"}  # static files: the editor's page CSS and JavaScript
UNAUTHORIZED = "/problems/unauthorized"
FORBIDDEN = "/problems/forbidden"


def requires(scope: str, open_when: Optional[Callable[[object], bool]] = None):
    """Declare the scope a view needs; ``open_when(settings)`` true lets anyone call it."""

    def declare(view):
        setattr(view, SCOPE_ATTRIBUTE, scope)
        setattr(view, OPEN_WHEN_ATTRIBUTE, open_when)
        return view

    return declare


def public(view):
    """Declare a view that anyone may call (health, the contract, the editor's page)."""
    setattr(view, SCOPE_ATTRIBUTE, PUBLIC)
    return view


def declared_scope(app: Flask, endpoint: Optional[str]) -> Optional[str]:
    """The scope an endpoint declares: a scope name, PUBLIC, or None (nothing declared)."""
    if endpoint in PUBLIC_ENDPOINTS:
        return PUBLIC
    return getattr(app.view_functions.get(endpoint), SCOPE_ATTRIBUTE, None)


class Unauthorized(Problem):
    def __init__(self, detail: str):
        super().__init__(401, "Unauthorized", detail, UNAUTHORIZED)

    def response(self):
        response = super().response()
        response.headers["WWW-Authenticate"] = 'Bearer realm="sayso"'
        return response


def forbidden(scope: str, key_id: str) -> Problem:
    return Problem(403, "Forbidden", f"The API key {key_id} lacks the scope '{scope}'.", FORBIDDEN)


class Gate:
    """Whether keys are required, and the check of one request's key."""

    def __init__(self, keys: KeyRing, mode: str = "auto"):
        if mode not in ("auto", "off"):
            raise ValueError(f"SAYSO_AUTH must be 'auto' or 'off', not {mode!r}")
        self.keys, self.mode = keys, mode
        self._required = False

    def keys_required(self) -> bool:
        # Keys are never deleted, so once one exists the answer stays yes.
        if not self._required:
            self._required = self.keys.any()
        return self._required

    def status(self) -> str:
        """'keys' or 'open', as /v1/health reports it."""
        return "keys" if self.keys_required() else "open"


def is_loopback(address: Optional[str]) -> bool:
    if not address:
        return False
    if address == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.split("%")[0]).is_loopback
    except ValueError:
        return False


def register(app: Flask, keys: KeyRing) -> Gate:
    settings = app.config["SAYSO"]
    gate = Gate(keys, settings.auth)
    app.extensions["sayso.gate"] = gate

    @app.before_request
    def authorize():
        g.sayso_scope, g.sayso_key = None, None
        if request.method == "OPTIONS" or request.endpoint is None:
            return  # CORS preflight, or no such route (404/405)
        scope = declared_scope(app, request.endpoint) or ADMIN  # undeclared: the strictest
        g.sayso_scope = scope
        view = app.view_functions[request.endpoint]
        open_when = getattr(view, OPEN_WHEN_ATTRIBUTE, None)
        if scope == PUBLIC or (open_when is not None and open_when(settings)):
            return
        if not gate.keys_required():
            if gate.mode == "off" or is_loopback(request.remote_addr):
                return
            raise Unauthorized(
                "No API key exists yet, so only loopback clients are served: create one with `sayso keys create`."
            )
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("Send an API key: 'Authorization: Bearer KEY'.")
        verdict = keys.verify(token.strip())
        if verdict.key is None:
            raise Unauthorized(verdict.reason)
        g.sayso_key = verdict.key
        if scope not in scopes_of(verdict.key):
            raise forbidden(scope, verdict.key.prefix)

    return gate


def key_id() -> Optional[str]:
    """The public id of the key that made this request (None: no key)."""
    key = g.get("sayso_key")
    return key.prefix if key is not None else None


def gate() -> Gate:
    return current_app.extensions["sayso.gate"]


def undeclared_routes(app: Flask) -> list[str]:
    """The routes that declare no scope (each one is a mistake)."""
    return sorted({rule.rule for rule in app.url_map.iter_rules() if declared_scope(app, rule.endpoint) is None})
