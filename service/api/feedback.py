"""/v1/feedback: editors confirm or reject results; the feedback is exported for training."""
from __future__ import annotations

import json

from flask import Blueprint, Response, current_app, request, url_for

from ..auth import ADMIN, FEEDBACK, requires
from ..problems import sentence_not_found
from ..representations import feedback_json
from ..request_schemas import FeedbackListQuery, decode_cursor, encode_cursor, feedback_schema
from . import checker, json_body, load

blueprint = Blueprint("feedback", __name__, url_prefix="/v1/feedback")
list_query = FeedbackListQuery()
NDJSON = "application/x-ndjson"


@blueprint.post("")
@requires(FEEDBACK)
def record_feedback():
    fields = json_body(feedback_schema(current_app.config["SAYSO"].max_claim_chars))
    fields["claim"] = fields["claim"].strip()
    row = checker().record_feedback(fields)
    if row is None:
        raise sentence_not_found(fields["sentence_id"])
    return feedback_json(row), 201


@blueprint.get("")
@requires(ADMIN)
def list_feedback():
    """Oldest first. As JSON Lines (one item a line) when asked with Accept: application/x-ndjson,
    the next page then named by a Link header."""
    query = load(list_query, request.args.to_dict())
    after = decode_cursor(query["cursor"]) if query["cursor"] else 0
    rows = checker().feedback(after, query["limit"] + 1)
    page, more = rows[: query["limit"]], len(rows) > query["limit"]
    next_cursor = encode_cursor(page[-1].id) if more else None
    if request.accept_mimetypes.best_match(["application/json", NDJSON]) == NDJSON:
        lines = "".join(json.dumps(feedback_json(row), ensure_ascii=False) + "\n" for row in page)
        response = Response(lines, mimetype=NDJSON)
        if next_cursor:
            link = url_for("feedback.list_feedback", limit=query["limit"], cursor=next_cursor)
            response.headers["Link"] = f'<{link}>; rel="next"'
        return response
    return {"items": [feedback_json(row) for row in page], "next_cursor": next_cursor}
