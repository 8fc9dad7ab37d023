"""/v1/check: which sentences of the corpus corroborate or contradict a claim."""
from __future__ import annotations

from flask import Blueprint, current_app

from models.timing import Stages

from ..representations import check_json
from ..schemas import check_schema
from . import checker, json_body

blueprint = Blueprint("checks", __name__, url_prefix="/v1")


@blueprint.post("/check")
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
