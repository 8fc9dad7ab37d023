"""/v1/health, /v1/stats and /openapi.yaml."""
from __future__ import annotations

import re

import yaml
from openapi_spec_validator import validate

from models.encoder import EMBEDDING_MODEL

from .contract import SPEC_PATH, assert_conforms, spec
from .secured import stop_background


def test_meta_openapi_document_is_valid_openapi_3_1():
    document = yaml.safe_load(SPEC_PATH.read_text())
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_meta_openapi_is_served(client):
    response = client.get("/openapi.yaml")
    assert response.status_code == 200
    assert yaml.safe_load(response.get_data(as_text=True)) == yaml.safe_load(SPEC_PATH.read_text())


def test_meta_every_route_is_in_the_contract(app):
    paths = yaml.safe_load(SPEC_PATH.read_text())["paths"]
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint.endswith(".static"):
            continue  # files, not operations: the editor page's CSS and JavaScript
        template = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)  # /v1/jobs/<job_id> -> /v1/jobs/{job_id}
        assert template in paths, f"{template} is served but not in openapi.yaml"
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert method.lower() in paths[template], f"{method} {template} not in openapi.yaml"


def test_meta_health(client):
    response = client.get("/v1/health")
    assert response.status_code == 200 and response.get_json() == {"status": "ok", "auth": "open"}
    assert_conforms(response, "/v1/health", "get")


def test_meta_stats_count_the_corpus(client, ingested):
    response = client.get("/v1/stats")
    assert_conforms(response, "/v1/stats", "get")
    stats = response.get_json()
    claims = sum(s["is_claim"] for a in ingested.values() for s in a["sentences"])
    assert stats["articles"] >= 2 and stats["claims"] >= claims
    # Every sentence that reads as a claim is indexed, check-worthy or not (models/pipeline.py).
    assert stats["index"]["size"] >= stats["claims"] > 0
    assert stats["index"]["kind"] == "flat"
    assert stats["models"]["embedding"] == EMBEDDING_MODEL
    assert "detectors" in stats["models"]["stance"]
    assert "cross-encoder" in stats["models"]["stance"]  # on by default (SAYSO_STANCE_MODEL)


def test_meta_server_timing_names_the_stages_of_a_check(client, ingested):
    response = client.post("/v1/check", json={"claim": "Azerbaijan controls its border with Iran"})
    stages = dict(part.strip().split(";dur=") for part in response.headers["Server-Timing"].split(","))
    assert {"embed", "search", "store"} <= set(stages)
    assert all(float(ms) >= 0 for ms in stages.values())


def test_meta_text_patterns_refuse_what_validation_refuses():
    """openapi.yaml's patterns refuse what the service refuses: NUL anywhere, and for the
    article text and the claim, whitespace alone (as str.strip() sees it): every code point."""
    import re

    from service.request_schemas import article_schema, check_schema

    schemas = spec()["components"]["schemas"]
    not_blank = re.compile(schemas["CheckIn"]["properties"]["claim"]["pattern"])
    no_nul = re.compile(schemas["ArticleIn"]["properties"]["author"]["pattern"])
    assert schemas["ArticleIn"]["properties"]["text"]["pattern"] == not_blank.pattern
    for code in range(0x110000):
        char = chr(code)
        assert bool(not_blank.search(char)) == (bool(char.strip()) and char != "\x00"), hex(code)
        assert bool(no_nul.search(char)) == (char != "\x00"), hex(code)
    assert not_blank.search(" x\n") and not not_blank.search(" \u3000\n") and not no_nul.search("a\x00b")
    for claim, accepted in [("\x1c", False), ("\ufeff", True), ("\u00a0x", True), ("x\x00", False)]:
        assert (not check_schema(2000).validate({"claim": claim})) == accepted, repr(claim)
        assert (not article_schema(1000).validate({"text": claim})) == accepted, repr(claim)


def test_meta_health_says_degraded_while_the_index_cannot_follow_the_store(tmp_path, empty_database_url, encoder, nlp):
    """A skipped log entry, or a store whose log cannot be read, is reported; checks still answer."""
    from sqlalchemy import text

    from index.tables import IndexLogEntry
    from service import create_app
    from core.settings import Settings

    app = create_app(Settings(data_dir=tmp_path, database_url=empty_database_url))
    sayso, client = app.extensions["sayso"], app.test_client()
    claim = {"claim": "The bridge reopened after 14 months of repairs"}
    try:
        response = client.post("/v1/articles", json={"text": "The bridge reopened on Monday after 14 months of repairs, the city said."})
        assert response.status_code == 201
        assert client.get("/v1/health").get_json() == {"status": "ok", "auth": "open"}

        with sayso.store.engine.begin() as connection:
            connection.execute(text("ALTER TABLE index_log RENAME TO index_log_away"))
        try:
            response = client.get("/v1/health")
            assert_conforms(response, "/v1/health", "get")
            body = response.get_json()
            assert body["status"] == "degraded" and "cannot catch up with the store" in body["index"]["reason"]
            check = client.post("/v1/check", json=claim)
            assert check.status_code == 200 and check.get_json()["results"]
        finally:
            with sayso.store.engine.begin() as connection:
                connection.execute(text("ALTER TABLE index_log_away RENAME TO index_log"))
        assert client.get("/v1/health").get_json() == {"status": "ok", "auth": "open"}

        with sayso.store.session.begin() as session:  # an entry only a newer version understands
            session.add(IndexLogEntry(op="reindex", article_id=0, sentence_ids=[]))
        response = client.get("/v1/health")
        assert_conforms(response, "/v1/health", "get")
        body = response.get_json()
        assert body["status"] == "degraded" and body["index"]["seq"] == sayso.store.last_seq()
        assert [(entry["seq"], entry["op"]) for entry in body["index"]["skipped"]] == [(sayso.store.last_seq(), "reindex")]
        assert client.post("/v1/check", json=claim).status_code == 200
    finally:
        stop_background(app)
