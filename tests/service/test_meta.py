"""/v1/health, /v1/stats and /openapi.yaml."""
from __future__ import annotations

import yaml
from openapi_spec_validator import validate

from models.encoder import EMBEDDING_MODEL

from .contract import SPEC_PATH, assert_conforms


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
        if rule.endpoint == "static":
            continue
        template = rule.rule.replace("<int:", "{").replace(">", "}")
        assert template in paths, f"{template} is served but not in openapi.yaml"
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert method.lower() in paths[template], f"{method} {template} not in openapi.yaml"


def test_meta_health(client):
    response = client.get("/v1/health")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}
    assert_conforms(response, "/v1/health", "get")


def test_meta_stats_count_the_corpus(client, ingested):
    response = client.get("/v1/stats")
    assert_conforms(response, "/v1/stats", "get")
    stats = response.get_json()
    claims = sum(s["is_claim"] for a in ingested.values() for s in a["sentences"])
    assert stats["articles"] >= 2 and stats["claims"] >= claims
    assert stats["index"]["size"] == stats["claims"]
    assert stats["index"]["kind"] == "flat"
    assert stats["models"]["embedding"] == EMBEDDING_MODEL
    assert "detectors" in stats["models"]["stance"]
    assert "cross-encoder" in stats["models"]["stance"]  # on by default (SAYSO_STANCE_MODEL)


def test_meta_server_timing_names_the_stages_of_a_check(client, ingested):
    response = client.post("/v1/check", json={"claim": "Azerbaijan controls its border with Iran"})
    stages = dict(part.strip().split(";dur=") for part in response.headers["Server-Timing"].split(","))
    assert {"embed", "search", "store"} <= set(stages)
    assert all(float(ms) >= 0 for ms in stages.values())
