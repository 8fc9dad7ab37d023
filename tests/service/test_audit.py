"""The audit trail: exactly one row per ingest, delete, feedback or admin call, allowed
or denied, naming the key by its id, never the key; none for checks and reads."""
from __future__ import annotations

import pytest

from .contract import assert_conforms
from .secured import bearer, secured_app, stop_background

ARTICLE = {"text": "The Nordhavn desalination plant produced 9,400 cubic metres of water a day, the utility said.",
           "url": "https://example.test/audit-nordhavn"}


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def secured(request, tmp_path_factory, encoder, nlp):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('audit') / 'sayso.db'}"
    else:
        url = request.getfixturevalue("postgres_schemas").new_url()
    app, keys = secured_app(tmp_path_factory.mktemp("audit-data"), url)
    yield app, keys
    stop_background(app)


def audit_rows(client, admin_key):
    rows, cursor = [], None
    while True:
        response = client.get("/v1/audit", query_string={"limit": 7, **({"cursor": cursor} if cursor else {})},
                              headers=bearer(admin_key))
        assert response.status_code == 200
        assert_conforms(response, "/v1/audit", "get")
        page = response.get_json()
        rows += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return rows


def test_audit_one_row_per_audited_call_allowed_or_denied(secured):
    app, keys = secured
    client = app.test_client()
    admin = keys.only["admin"]
    before = audit_rows(client, admin)
    ingest_id = keys.only["ingest"].split("_")[1]

    calls = [  # (method, path, body, key, expected status, audited)
        ("POST", "/v1/articles", ARTICLE, keys.only["ingest"], 201, True),
        ("POST", "/v1/articles", ARTICLE, keys.only["ingest"], 200, True),
        ("POST", "/v1/articles", ARTICLE, None, 401, True),
        ("POST", "/v1/articles", ARTICLE, keys.only["check"], 403, True),
        ("POST", "/v1/articles", {"text": ""}, keys.only["ingest"], 422, True),
        ("DELETE", "/v1/articles/999999", None, keys.only["ingest"], 404, True),
        ("POST", "/v1/feedback", {"claim": "c", "sentence_id": 999999, "stance": "corroborates", "verdict": "confirm"},
         keys.only["feedback"], 404, True),
        ("GET", "/v1/feedback", None, keys.only["feedback"], 403, True),
        ("GET", "/v1/keys", None, admin, 200, True),
        ("POST", "/v1/check", {"claim": "The plant produces water"}, keys.only["check"], 200, False),
        ("POST", "/v1/check", {"claim": "The plant produces water"}, None, 401, False),
        ("GET", "/v1/stats", None, keys.only["read"], 200, False),
        ("GET", "/v1/health", None, None, 200, False),
    ]
    sent = []
    for number, (method, path, body, key, status, audited) in enumerate(calls):
        request_id = f"audit-test-{number}"
        headers = {"X-Request-ID": request_id, **(bearer(key) if key else {})}
        response = client.open(path, method=method, json=body, headers=headers)
        assert response.status_code == status, (method, path, response.get_json(silent=True))
        assert response.headers["X-Request-ID"] == request_id
        if audited:
            sent.append((request_id, method, path, key, status, response))

    created = sent[0][5].get_json()["id"]
    deleted = client.delete(f"/v1/articles/{created}", headers={"X-Request-ID": "audit-test-delete", **bearer(keys.only["ingest"])})
    assert deleted.status_code == 204

    rows = audit_rows(client, admin)[len(before):]
    # Each paging call above is itself an admin call with a row; leave those out.
    rows = [r for r in rows if r["action"] != "admin.audit"]
    assert [r["request_id"] for r in rows] == [s[0] for s in sent] + ["audit-test-delete"]
    for row, (request_id, method, path, key, status, _) in zip(rows, sent):
        assert row["status"] == status
        assert row["key_id"] == (key.split("_")[1] if key else None)
        assert key is None or key not in str(row)
    assert rows[0]["action"] == "articles.create_article" and rows[0]["target"] == f"/v1/articles/{created}"
    assert rows[-1] == dict(rows[-1], action="articles.delete_article", target=f"/v1/articles/{created}",
                            status=204, key_id=ingest_id)


def test_audit_needs_admin(secured):
    app, keys = secured
    client = app.test_client()
    assert client.get("/v1/audit", headers=bearer(keys.all_but["admin"])).status_code == 403
    assert client.get("/v1/audit", query_string={"cursor": "bogus"}, headers=bearer(keys.only["admin"])).status_code == 422
