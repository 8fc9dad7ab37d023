"""Writes the audit trail: exactly one row for every ingest, delete, feedback or admin
call, allowed or denied (401, 403, 429 and 4xx included), with the key's public id,
never the key."""
from __future__ import annotations

from flask import Flask, Response, g, request

from index.audit import AuditTrail

from .auth import ADMIN, FEEDBACK, INGEST, key_id
from .observability import log, request_id

AUDITED = {INGEST, FEEDBACK, ADMIN}


def register(app: Flask, trail: AuditTrail) -> None:
    @app.after_request
    def audit(response: Response) -> Response:
        if request.method == "OPTIONS" or g.get("sayso_scope") not in AUDITED:
            return response
        # What was acted on: the created resource when there is one, else the path.
        target = response.headers.get("Location") or request.path
        try:
            trail.record(key_id(), request.endpoint or "-", target, response.status_code, request_id(),
                         request.remote_addr)
        except Exception:  # the action is done; say loudly that its record is missing
            log.exception("audit write failed", request_id=request_id(), action=request.endpoint)
        return response
