"""Rate limits with Flask-Limiter: requests per minute per key (per client address when
the service is open), one budget per scope, configurable per scope (SAYSO_RATE_LIMITS).

With SAYSO_REDIS_URL the counts live in Redis, shared by every gunicorn worker and every
node; without it they are in memory, per process (each worker allows the full limit).
The moving window counts the last 60 seconds exactly, so no burst at a window's edge
lets through twice the limit. Over the limit: 429 problem+json with Retry-After.
"""
from __future__ import annotations

import math
import time

from flask import Flask, g, request
from flask_limiter import ApplicationLimit, Limiter
from flask_limiter.errors import RateLimitExceeded
from limits import parse_many

from .auth import PUBLIC, key_id
from .problems import Problem

DEFAULT_LIMITS = {
    "check": "120/minute",
    "read": "600/minute",
    "ingest": "120/minute",
    "feedback": "120/minute",
    "admin": "60/minute",
}
OFF = "off"
TOO_MANY_REQUESTS = "/problems/too-many-requests"


def per_scope(overrides: dict[str, str]) -> dict[str, str]:
    limits = dict(DEFAULT_LIMITS)
    for scope, limit in overrides.items():
        if scope not in limits:
            raise ValueError(f"SAYSO_RATE_LIMITS: no scope {scope!r} (scopes: {', '.join(limits)})")
        if limit.lower() != OFF:
            parse_many(limit)  # a mistake stops the start, not the first request
        limits[scope] = limit.lower() if limit.lower() == OFF else limit
    return limits


def client() -> str:
    """Whom a request counts against: its key, else its address."""
    return key_id() or f"addr:{request.remote_addr}"


class TooManyRequests(Problem):
    def __init__(self, retry_after: int, limit: str):
        super().__init__(429, "Too many requests", f"The limit is {limit}; retry in {retry_after} s.", TOO_MANY_REQUESTS)
        self.retry_after = retry_after

    def response(self):
        response = super().response()
        response.headers["Retry-After"] = str(self.retry_after)
        return response


def register(app: Flask, prefix: str) -> Limiter:
    """Limit every route that needs a scope; ``prefix`` separates stores sharing one Redis."""
    settings = app.config["SAYSO"]
    limits = per_scope(settings.rate_limits)

    def scope(_endpoint: str = "") -> str:
        return g.get("sayso_scope") or PUBLIC

    def exempt() -> bool:
        return request.method == "OPTIONS" or limits.get(scope(), OFF) == OFF

    def limit() -> str:
        # Flask-Limiter asks for the limit before whether the request is exempt.
        return DEFAULT_LIMITS["admin"] if exempt() else limits[scope()]

    limiter = Limiter(
        key_func=client,
        application_limits=[
            ApplicationLimit(limit_provider=limit, scope=scope, exempt_when=exempt),
        ],
        storage_uri=settings.redis_url or "memory://",
        strategy="moving-window",
        key_prefix=prefix,
        in_memory_fallback_enabled=True,  # Redis down: count per process rather than fail
        headers_enabled=False,
    )
    limiter.init_app(app)

    @app.errorhandler(RateLimitExceeded)
    def _too_many(error: RateLimitExceeded):
        current = limiter.current_limit
        wait = math.ceil(current.reset_at - time.time()) if current is not None else 60
        return TooManyRequests(max(1, wait), str(error.limit.limit)).response()

    return limiter
