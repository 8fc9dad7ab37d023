"""POST /v1/articles/batch and GET /v1/jobs/{id}: take in many articles as one job.

One blueprint, so that access rules (the ``ingest`` scope) attach to it in one place.
"""
from __future__ import annotations

import os
from typing import Any

from flask import Blueprint, current_app, request, url_for
from marshmallow import RAISE, Schema, ValidationError, fields
from marshmallow.validate import Length

from service.api import json_body
from service.auth import INGEST, requires
from service.problems import NOT_FOUND, TOO_LARGE, Problem
from service.representations import timestamp
from service.request_schemas import article_schema

from .jobs import JobView, NewItem
from .runner import Jobs

MAX_BATCH = 500
# A batch may be larger than one article's body limit: 500 long articles.
MAX_BATCH_BYTES = int(os.environ.get("SAYSO_MAX_BATCH_BYTES") or 32 * 1024 * 1024)

blueprint = Blueprint("imports", __name__)


class BatchIn(Schema):
    """POST /v1/articles/batch: each article is checked on its own (see ``accepted``)."""

    class Meta:
        unknown = RAISE

    articles = fields.List(fields.Raw(allow_none=True), required=True,
                           validate=Length(min=1, max=MAX_BATCH, error=f"Send between 1 and {MAX_BATCH} articles."))


batch_in = BatchIn()


def attach(app, jobs: Jobs | None = None) -> Jobs:
    """Register the endpoints on ``app`` and start running (or publishing) its jobs."""
    jobs = jobs or Jobs(app.extensions["sayso"])
    app.extensions["sayso_jobs"] = jobs
    app.register_blueprint(blueprint)
    jobs.start()
    return jobs


def jobs() -> Jobs:
    return current_app.extensions["sayso_jobs"]


@blueprint.before_request
def _batch_body_limit():
    request.max_content_length = MAX_BATCH_BYTES
    if request.content_length is not None and request.content_length > MAX_BATCH_BYTES:
        raise Problem(413, "Request body too large", f"A batch may be at most {MAX_BATCH_BYTES} bytes.", TOO_LARGE)


def accepted(raw: Any, max_text_chars: int) -> NewItem:
    """One article of a batch, checked as POST /v1/articles checks it; a bad one is
    kept as failed with its reason, and the others go ahead."""
    if not isinstance(raw, dict):
        return NewItem(error={"detail": "Each article must be a JSON object.", "errors": {"_schema": ["Not an object."]}})
    try:
        loaded = article_schema(max_text_chars).load(raw)
    except ValidationError as error:
        messages = error.messages if isinstance(error.messages, dict) else {"_schema": error.messages}
        return NewItem(error={"detail": "Check these fields: " + ", ".join(sorted(messages)) + ".", "errors": messages})
    if loaded.get("published_at") is not None:
        loaded["published_at"] = loaded["published_at"].isoformat()
    return NewItem(fields=loaded)


@blueprint.post("/v1/articles/batch")
@requires(INGEST)
def create_batch():
    body = json_body(batch_in)
    limit = current_app.config["SAYSO"].max_text_chars
    job = jobs().submit([accepted(raw, limit) for raw in body["articles"]])
    view = jobs().store.view(job.id)
    return job_json(view), 202, {"Location": url_for("imports.get_job", job_id=job.id)}


@blueprint.get("/v1/jobs/<job_id>")
@requires(INGEST)
def get_job(job_id: str):
    view = jobs().store.view(job_id)
    if view is None:
        raise Problem(404, "Job not found", f"There is no job {job_id}.", NOT_FOUND)
    return job_json(view)


def job_json(view: JobView) -> dict[str, Any]:
    job = view.job
    return {
        "id": job.id,
        "state": job.state,
        "created_at": timestamp(job.created_at),
        "finished_at": timestamp(job.finished_at),
        "counts": {"total": job.total, **view.counts},
        "items": [
            {
                "position": item.position,
                "state": item.state,
                "article_id": item.article_id,
                "url": item.url,
                "external_id": item.external_id,
                "error": item.error,
            }
            for item in view.items
        ],
    }
