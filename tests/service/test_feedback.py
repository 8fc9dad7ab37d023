"""POST and GET /v1/feedback: editors confirm or reject results, on each backend."""
from __future__ import annotations

import json

import pytest

from models.encoder import EMBEDDING_MODEL

from .contract import assert_conforms

CLAIM = "Nearly 5,000 people have been killed in the Nagorno-Karabakh fighting"


@pytest.fixture(scope="module")
def shown(client, ingested):
    """A result an editor was shown."""
    body = client.post("/v1/check", json={"claim": CLAIM, "limit": 3}).get_json()
    return body["results"][0]


def _feedback(client, **body):
    response = client.post("/v1/feedback", json=body)
    assert_conforms(response, "/v1/feedback", "post")
    return response


def test_feedback_is_stored_with_the_sentence_and_model_versions(client, shown):
    response = _feedback(client, claim=CLAIM, sentence_id=shown["sentence"]["id"], stance=shown["stance"],
                         verdict="reject", note="the toll is disputed")
    assert response.status_code == 201
    row = response.get_json()
    assert row["sentence"] == shown["sentence"]["text"] and row["verdict"] == "reject"
    assert row["article_id"] == shown["source"]["article_id"]
    assert row["versions"]["embedding"] == EMBEDDING_MODEL and row["versions"]["stance"]
    listed = client.get("/v1/feedback?limit=1000")
    assert_conforms(listed, "/v1/feedback", "get")
    assert row in listed.get_json()["items"]


def test_feedback_pages_and_exports_json_lines(client, shown):
    for verdict in ("confirm", "discusses", "reject"):
        assert _feedback(client, claim=CLAIM, sentence_id=shown["sentence"]["id"], stance=shown["stance"],
                         verdict=verdict).status_code == 201
    seen, cursor = [], None
    while True:
        response = client.get("/v1/feedback", query_string={"limit": 2, **({"cursor": cursor} if cursor else {})})
        assert_conforms(response, "/v1/feedback", "get")
        page = response.get_json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(seen) and len(seen) >= 3
    lines = client.get("/v1/feedback?limit=2", headers={"Accept": "application/x-ndjson"})
    assert lines.status_code == 200 and lines.mimetype == "application/x-ndjson"
    items = [json.loads(line) for line in lines.get_data(as_text=True).splitlines()]
    assert [i["id"] for i in items] == seen[:2]
    assert 'rel="next"' in lines.headers["Link"]


def test_feedback_on_a_sentence_that_does_not_exist_is_404(client):
    response = _feedback(client, claim=CLAIM, sentence_id=2**31 - 1, stance="contradicts", verdict="confirm")
    assert response.status_code == 404 and response.mimetype == "application/problem+json"


@pytest.mark.parametrize(
    "body, field",
    [
        ({"sentence_id": 1, "stance": "contradicts", "verdict": "confirm"}, "claim"),
        ({"claim": CLAIM, "sentence_id": 1, "stance": "unrelated", "verdict": "confirm"}, "stance"),
        ({"claim": CLAIM, "sentence_id": 1, "stance": "contradicts", "verdict": "maybe"}, "verdict"),
        ({"claim": CLAIM, "sentence_id": "1", "stance": "contradicts", "verdict": "confirm"}, "sentence_id"),
        ({"claim": CLAIM, "sentence_id": 1, "stance": "contradicts", "verdict": "confirm", "note": "x" * 2001}, "note"),
    ],
)
def test_feedback_bad_input_is_422_naming_the_field(bare_client, body, field):
    response = _feedback(bare_client, **body)
    assert response.status_code == 422
    assert field in response.get_json()["errors"]


def test_feedback_cursor_not_given_out_is_422(bare_client):
    response = bare_client.get("/v1/feedback", query_string={"cursor": "not a cursor!"})
    assert response.status_code == 422 and "cursor" in response.get_json()["errors"]
