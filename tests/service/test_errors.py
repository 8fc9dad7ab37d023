"""Bad input gets the right 4xx as problem+json naming the field; never a 500. Refused
before any model runs, so most of these tests use the service with no models loaded."""
from __future__ import annotations

import pytest

from .contract import assert_conforms


def _problem(response, status, path, method):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    assert_conforms(response, path, method)
    body = response.get_json()
    assert body["status"] == status and body["title"]
    return body


def test_errors_malformed_json_is_400(bare_client):
    response = bare_client.post("/v1/articles", data="{not json", content_type="application/json")
    _problem(response, 400, "/v1/articles", "post")


def test_errors_json_that_is_not_an_object_is_400(bare_client):
    response = bare_client.post("/v1/check", json=["claim"])
    _problem(response, 400, "/v1/check", "post")


def test_errors_wrong_content_type_is_415(bare_client):
    response = bare_client.post("/v1/check", data="claim=x", content_type="application/x-www-form-urlencoded")
    _problem(response, 415, "/v1/check", "post")


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "text"),
        ({"text": ""}, "text"),
        ({"text": "   \n "}, "text"),
        ({"text": 42}, "text"),
        ({"text": "Fine text.", "url": "not a url"}, "url"),
        ({"text": "Fine text.", "published_at": "yesterday"}, "published_at"),
        ({"text": "Fine text.", "outlet": ["A"]}, "outlet"),
        ({"text": "Fine text.", "colour": "red"}, "colour"),
        ({"text": "Nul \u0000 byte."}, "text"),
        ({"text": "Fine text.", "title": "Nul \u0000"}, "title"),
    ],
)
def test_errors_bad_article_fields_are_422_naming_the_field(bare_client, body, field):
    problem = _problem(bare_client.post("/v1/articles", json=body), 422, "/v1/articles", "post")
    assert field in problem["errors"]


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "claim"),
        ({"claim": ""}, "claim"),
        ({"claim": "  "}, "claim"),
        ({"claim": None}, "claim"),
        ({"claim": "x", "limit": 0}, "limit"),
        ({"claim": "x", "limit": 101}, "limit"),
        ({"claim": "x", "limit": "10"}, "limit"),
        ({"claim": "x", "outlets": "AFP"}, "outlets"),
        ({"claim": "x", "since": "2024-13-01"}, "since"),
        ({"claim": "x", "limit": 10.5}, "limit"),
    ],
)
def test_errors_bad_check_fields_are_422_naming_the_field(bare_client, body, field):
    problem = _problem(bare_client.post("/v1/check", json=body), 422, "/v1/check", "post")
    assert field in problem["errors"]


def test_errors_text_over_the_size_limit_is_422_naming_text(bare_app, bare_client):
    limit = bare_app.config["SAYSO"].max_text_chars
    problem = _problem(bare_client.post("/v1/articles", json={"text": "a" * (limit + 1)}), 422, "/v1/articles", "post")
    assert "text" in problem["errors"]


def test_errors_body_over_the_size_limit_is_413(bare_app, bare_client):
    size = bare_app.config["MAX_CONTENT_LENGTH"] + 10
    response = bare_client.post("/v1/articles", data='{"text": "' + "a" * size + '"}', content_type="application/json")
    _problem(response, 413, "/v1/articles", "post")


@pytest.mark.parametrize("cursor", ["garbage!", "Á", "YmVmb3JlOjEyMw", ""])
def test_errors_bad_list_parameters_are_422(bare_client, cursor):
    _problem(bare_client.get("/v1/articles?limit=0"), 422, "/v1/articles", "get")
    problem = _problem(bare_client.get("/v1/articles", query_string={"cursor": cursor}), 422, "/v1/articles", "get")
    assert "cursor" in problem["errors"]


@pytest.mark.parametrize("cursor", ["AAAAAA", "000000", "_____-"])  # before id 0, 3545052371, 4294967295
def test_errors_any_cursor_of_the_declared_form_is_a_page(bare_client, cursor):
    response = bare_client.get("/v1/articles", query_string={"cursor": cursor})
    assert response.status_code == 200
    assert_conforms(response, "/v1/articles", "get")


@pytest.mark.parametrize("path", ["/v1/articles", "/v1/feedback", "/v1/audit"])
def test_errors_cursor_past_the_largest_id_is_a_page_on_every_backend(client, path):
    # "_____-" decodes past 2**31 - 1, where PostgreSQL's INTEGER ids end
    for cursor in ("000000", "_____-"):
        response = client.get(path, query_string={"cursor": cursor})
        assert response.status_code == 200, response.get_json()
        assert_conforms(response, path, "get")


def test_errors_unsupported_method_is_405_naming_the_allowed_ones(bare_client):
    response = bare_client.put("/v1/check", json={"claim": "x"})
    assert response.status_code == 405 and response.mimetype == "application/problem+json"
    assert {m.strip() for m in response.headers["Allow"].split(",")} >= {"POST"}
    assert "PUT" not in response.headers["Allow"]


def test_errors_unknown_article_is_404(bare_client):
    _problem(bare_client.get("/v1/articles/999999999"), 404, "/v1/articles/{article_id}", "get")


def test_errors_rejected_posts_leave_stored_articles_alone(client, ingested):
    before = client.get("/v1/stats").get_json()
    client.post("/v1/articles", json={"text": 5})
    client.post("/v1/articles", data="{", content_type="application/json")
    after = client.get("/v1/stats").get_json()
    assert after["articles"] == before["articles"] and after["sentences"] == before["sentences"]


def test_errors_unpaired_surrogate_is_422_not_500(bare_client):
    raw = '{"text": "Broken \\ud800 text."}'
    problem = _problem(bare_client.post("/v1/articles", data=raw, content_type="application/json"), 422, "/v1/articles", "post")
    assert "text" in problem["errors"]
    check = bare_client.post("/v1/check", data='{"claim": "x \\udfff"}', content_type="application/json")
    assert "claim" in _problem(check, 422, "/v1/check", "post")["errors"]
