"""The editor's page at `/`: paste a draft, press Check, see its claims marked.

Plain HTML, CSS and JavaScript from `static/`, served by the service itself (nothing
fetched from anywhere else, no build step). The page talks to the JSON API of the same
origin; the Content-Security-Policy keeps it to that origin.
"""
from __future__ import annotations

from flask import Blueprint, Response

from ..auth import public

blueprint = Blueprint("editor", __name__, static_folder="static", static_url_path="/editor")

# Only this origin's own files and API: no inline script or style, no frames, no plugins.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


@blueprint.get("/")
@public
def page():
    return blueprint.send_static_file("index.html")


@blueprint.after_request
def _page_headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
