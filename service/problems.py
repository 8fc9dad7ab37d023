"""Errors as RFC 9457 problem details (application/problem+json)."""
from __future__ import annotations

from typing import Any, Optional

from flask import Flask, Response, json, request
from werkzeug.exceptions import HTTPException

PROBLEM_JSON = "application/problem+json"

# Problem types, one per kind of mistake a client can make.
INVALID_JSON = "/problems/invalid-json"
UNSUPPORTED_MEDIA_TYPE = "/problems/unsupported-media-type"
VALIDATION = "/problems/validation"
TOO_LARGE = "/problems/too-large"
NOT_FOUND = "/problems/not-found"
INTERNAL = "/problems/internal"


class Problem(Exception):
    def __init__(
        self,
        status: int,
        title: str,
        detail: Optional[str] = None,
        type: str = "about:blank",
        errors: Optional[dict[str, Any]] = None,
    ):
        super().__init__(detail or title)
        self.status, self.title, self.detail, self.type, self.errors = status, title, detail, type, errors

    def response(self) -> Response:
        body: dict[str, Any] = {
            "type": self.type,
            "title": self.title,
            "status": self.status,
            "instance": request.path,
        }
        if self.detail:
            body["detail"] = self.detail
        if self.errors:
            body["errors"] = self.errors
        return Response(json.dumps(body), status=self.status, mimetype=PROBLEM_JSON)


def article_not_found(article_id: int) -> Problem:
    return Problem(404, "Article not found", f"There is no article {article_id}.", NOT_FOUND)


def sentence_not_found(sentence_id: int) -> Problem:
    return Problem(404, "Sentence not found", f"There is no sentence {sentence_id}.", NOT_FOUND)


def validation_problem(errors: dict[str, Any]) -> Problem:
    fields = ", ".join(sorted(errors))
    return Problem(422, "Invalid request", f"Check these fields: {fields}.", VALIDATION, errors)


def register(app: Flask) -> None:
    @app.errorhandler(Problem)
    def _problem(problem: Problem):
        return problem.response()

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        if error.code == 413:
            limit = app.config.get("MAX_CONTENT_LENGTH")
            return Problem(413, "Request body too large", f"The body may be at most {limit} bytes.", TOO_LARGE).response()
        if error.code == 404:
            return Problem(404, "Not found", f"Nothing at {request.path}.", NOT_FOUND).response()
        return Problem(error.code or 500, error.name, error.description).response()

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        app.logger.exception("unhandled error")
        return Problem(500, "Internal error", "The server could not complete the request.", INTERNAL).response()
