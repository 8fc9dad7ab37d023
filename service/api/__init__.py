"""HTTP endpoints, one blueprint per resource."""
from __future__ import annotations

from typing import Any

from flask import current_app, request
from marshmallow import Schema, ValidationError

from ..problems import INVALID_JSON, UNSUPPORTED_MEDIA_TYPE, Problem, validation_problem


def checker():
    return current_app.extensions["sayso"]


def json_body(schema: Schema) -> dict[str, Any]:
    """The request's JSON object, validated; a problem for anything else."""
    if not request.is_json:
        raise Problem(
            415,
            "Unsupported media type",
            f"Send JSON with 'Content-Type: application/json' (got {request.mimetype or 'none'}).",
            UNSUPPORTED_MEDIA_TYPE,
        )
    body = request.get_json(silent=True)
    if body is None:
        raise Problem(400, "Malformed JSON", "The request body is not valid JSON.", INVALID_JSON)
    if not isinstance(body, dict):
        raise Problem(400, "Malformed JSON", "The request body must be a JSON object.", INVALID_JSON)
    return load(schema, body)


def load(schema: Schema, data) -> dict[str, Any]:
    try:
        return schema.load(data)
    except ValidationError as error:
        messages = error.messages if isinstance(error.messages, dict) else {"_schema": error.messages}
        raise validation_problem(messages) from None
