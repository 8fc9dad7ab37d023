"""/v1/keys and /v1/audit: API keys and the audit trail (scope admin)."""
from __future__ import annotations

from datetime import timezone
from typing import Any

from flask import Blueprint, Response, request, url_for
from marshmallow import RAISE, Schema, ValidationError, fields, validates
from marshmallow.validate import Length, Range, Regexp

from index.audit import AuditTrail
from index.keys import KeyRing, parse_scopes, scopes_of
from index.tables import ApiKey, AuditEntry

from ..auth import ADMIN, requires
from ..problems import NOT_FOUND, Problem
from ..representations import timestamp
from ..request_schemas import CURSOR_PATTERN, NotBlank, Storable, decode_cursor, encode_cursor
from . import checker, json_body, load

blueprint = Blueprint("admin", __name__, url_prefix="/v1")


class KeyIn(Schema):
    """POST /v1/keys"""

    class Meta:
        unknown = RAISE

    name = fields.String(required=True, validate=[NotBlank(), Length(max=200), Storable()])
    scopes = fields.List(fields.String(), required=True, validate=Length(min=1, max=5))
    expires_at = fields.AwareDateTime(load_default=None, allow_none=True, default_timezone=timezone.utc)

    @validates("scopes")
    def _known(self, value, **_):
        try:
            parse_scopes(value)
        except ValueError as error:
            raise ValidationError(str(error)) from None


class AuditQuery(Schema):
    """GET /v1/audit"""

    class Meta:
        unknown = RAISE

    limit = fields.Integer(load_default=100, validate=Range(1, 1000))
    cursor = fields.String(load_default=None, validate=Regexp(CURSOR_PATTERN, error="Not a cursor this service gave out."))


key_in, audit_query = KeyIn(), AuditQuery()


def keyring() -> KeyRing:
    return KeyRing(checker().store)


def key_json(row: ApiKey) -> dict[str, Any]:
    return {
        "id": row.prefix,
        "name": row.name,
        "scopes": scopes_of(row),
        "created_at": timestamp(row.created_at),
        "expires_at": timestamp(row.expires_at),
        "revoked_at": timestamp(row.revoked_at),
    }


def audit_json(row: AuditEntry) -> dict[str, Any]:
    return {
        "id": row.id,
        "at": timestamp(row.at),
        "key_id": row.key_id,
        "action": row.action,
        "target": row.target,
        "status": row.status,
        "request_id": row.request_id,
        "client": row.client,
    }


@blueprint.post("/keys")
@requires(ADMIN)
def create_key():
    fields_ = json_body(key_in)
    row, key = keyring().create(fields_["name"].strip(), fields_["scopes"], fields_["expires_at"])
    return dict(key_json(row), key=key), 201, {"Location": url_for("admin.revoke_key", key_id=row.prefix)}


@blueprint.get("/keys")
@requires(ADMIN)
def list_keys():
    return {"items": [key_json(row) for row in keyring().list()]}


@blueprint.delete("/keys/<key_id>")
@requires(ADMIN)
def revoke_key(key_id: str):
    if keyring().revoke(key_id) is None:
        raise Problem(404, "Key not found", f"There is no API key {key_id}.", NOT_FOUND)
    return Response(status=204)


@blueprint.get("/audit")
@requires(ADMIN)
def audit():
    """Oldest first; follow next_cursor for the rest."""
    query = load(audit_query, request.args.to_dict())
    after = decode_cursor(query["cursor"]) if query["cursor"] else 0
    rows = AuditTrail(checker().store).page(after, query["limit"] + 1)
    page, more = rows[: query["limit"]], len(rows) > query["limit"]
    return {"items": [audit_json(r) for r in page], "next_cursor": encode_cursor(page[-1].id) if more else None}
