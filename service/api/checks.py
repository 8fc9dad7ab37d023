"""/v1/check, /v1/check/draft and /v1/claimreview: what the archive says about a claim,
about each claim of a draft, and the markup of an editor's review."""
from __future__ import annotations

from flask import Blueprint, current_app

from core.checker import Filters
from core.outcomes import DraftBlock
from models.timing import Stages

from ..auth import CHECK, requires
from ..representations import check_json, draft_json
from ..request_schemas import check_schema, claimreview_schema, draft_schema
from . import checker, json_body

blueprint = Blueprint("checks", __name__, url_prefix="/v1")


@blueprint.post("/check")
@requires(CHECK)
def check():
    body = json_body(check_schema(current_app.config["SAYSO"].max_claim_chars))
    stages = Stages()
    outcome = checker().check(
        body["claim"].strip(),
        limit=body["limit"],
        outlets=body["outlets"],
        since=body["since"],
        until=body["until"],
        stages=stages,
    )
    return check_json(outcome), {"Server-Timing": stages.header()}


@blueprint.post("/check/draft")
@requires(CHECK)
def check_draft():
    body = json_body(draft_schema(current_app.config["SAYSO"].max_text_chars))
    sayso = checker()
    if body["blocks"] is not None:
        blocks = [DraftBlock(b["id"], b["text"]) for b in body["blocks"]]
    else:
        blocks = [DraftBlock(None, body["text"])]
    exclude = body["exclude"] or {}
    filters = Filters(
        outlets=body["outlets"],
        since=body["since"],
        until=body["until"],
        exclude_articles=sayso.excluded_articles(exclude.get("url"), exclude.get("external_id")),
    )
    stages = Stages()
    outcome = sayso.check_draft(blocks, limit=body["limit"], filters=filters, stages=stages)
    return draft_json(outcome), {"Server-Timing": stages.header()}


@blueprint.post("/claimreview")
@requires(CHECK)
def claimreview():
    review = json_body(claimreview_schema(current_app.config["SAYSO"].max_claim_chars))
    review["claim"] = review["claim"].strip()
    markup = checker().claim_review(review)
    return current_app.response_class(current_app.json.dumps(markup), mimetype="application/ld+json")
