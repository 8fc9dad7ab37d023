"""/v1/health, /v1/stats and the API contract at /openapi.yaml."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response

from ..auth import READ, gate, public, requires
from ..problems import Problem
from . import checker

blueprint = Blueprint("meta", __name__)
OPENAPI = Path(__file__).resolve().parents[2] / "openapi.yaml"


@blueprint.get("/v1/health")
@public
def health():
    """200 while this worker can serve: "ok", or "degraded" with what is wrong with its
    index (it still answers checks from what it has); 503 when the store does not answer."""
    sayso = checker()
    try:
        sayso.store.ping()
    except Exception:
        raise Problem(503, "Unavailable", "The corpus store does not answer.") from None
    sayso.index.catch_up()
    trouble = sayso.index.trouble()
    if trouble is not None:
        return {"status": "degraded", "auth": gate().status(), "index": trouble}
    return {"status": "ok", "auth": gate().status()}


@blueprint.get("/v1/stats")
@requires(READ)
def stats():
    return checker().stats()


@blueprint.get("/openapi.yaml")
@public
def openapi():
    return Response(OPENAPI.read_text(encoding="utf-8"), mimetype="application/yaml")
