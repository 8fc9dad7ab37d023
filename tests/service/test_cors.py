"""CORS: off by default; SAYSO_CORS_ORIGINS opens the check routes, and only those, to
those origins. Preflights need no key."""
from __future__ import annotations

import pytest

from core.settings import Settings

from .secured import bearer, secured_app, stop_background

NEWSROOM = "https://cms.newsroom.example"


def preflight(client, path: str, origin: str = NEWSROOM, method: str = "POST"):
    return client.options(path, headers={
        "Origin": origin,
        "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": "authorization, content-type",
    })


@pytest.fixture(scope="module")
def cors_app(tmp_path_factory, encoder, nlp):
    app, keys = secured_app(tmp_path_factory.mktemp("cors"), None, cors_origins=(NEWSROOM, "https://other.example"))
    yield app, keys
    stop_background(app)


def test_cors_preflight_allows_check_routes_for_listed_origins(cors_app):
    app, keys = cors_app
    client = app.test_client()
    for path in ("/v1/check", "/v1/check/draft", "/v1/claimreview"):
        response = preflight(client, path)
        assert response.status_code == 200, path
        assert response.headers["Access-Control-Allow-Origin"] == NEWSROOM
        assert "authorization" in response.headers["Access-Control-Allow-Headers"].lower()
        assert "POST" in response.headers["Access-Control-Allow-Methods"]
    actual = client.post("/v1/check", json={"claim": "The bridge reopened"}, headers={"Origin": NEWSROOM, **bearer(keys.only["check"])})
    assert actual.status_code == 200 and actual.headers["Access-Control-Allow-Origin"] == NEWSROOM
    assert "X-Request-ID" in actual.headers["Access-Control-Expose-Headers"]


def test_cors_never_on_ingest_delete_admin_or_read_routes(cors_app):
    app, keys = cors_app
    client = app.test_client()
    for path, method in (("/v1/articles", "POST"), ("/v1/articles/1", "DELETE"), ("/v1/keys", "POST"),
                         ("/v1/audit", "GET"), ("/v1/feedback", "POST"), ("/v1/stats", "GET"), ("/metrics", "GET")):
        response = preflight(client, path, method=method)
        assert "Access-Control-Allow-Origin" not in response.headers, path
    posted = client.post("/v1/articles", json={"text": ""}, headers={"Origin": NEWSROOM, **bearer(keys.only["ingest"])})
    assert "Access-Control-Allow-Origin" not in posted.headers


def test_cors_unlisted_origin_gets_nothing(cors_app):
    app, _ = cors_app
    response = preflight(app.test_client(), "/v1/check", origin="https://evil.example")
    assert "Access-Control-Allow-Origin" not in response.headers


def test_cors_off_by_default(app):
    assert Settings.from_env({}).cors_origins == ()
    response = preflight(app.test_client(), "/v1/check")
    assert "Access-Control-Allow-Origin" not in response.headers


def test_cors_origins_from_the_environment():
    settings = Settings.from_env({"SAYSO_CORS_ORIGINS": "https://a.example, https://b.example"})
    assert settings.cors_origins == ("https://a.example", "https://b.example")
