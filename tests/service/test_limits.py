"""Rate limits in one process (memory storage): per key and scope, 429 problem+json
with Retry-After; per client address while the service is open; checked settings."""
from __future__ import annotations

import pytest

from core.settings import Settings
from service import create_app
from service.limits import DEFAULT_LIMITS, per_scope

from .contract import assert_conforms
from .secured import NO_LIMITS, bearer, secured_app

CLAIM = {"claim": "The bridge reopened on Monday"}


@pytest.fixture(scope="module")
def limited(tmp_path_factory, encoder, nlp):
    app, keys = secured_app(tmp_path_factory.mktemp("limits"), None, rate_limits={**NO_LIMITS, "check": "3/minute"})
    yield app, keys
    app.extensions["sayso"].index.stop()


def test_limits_over_the_limit_is_429_with_retry_after(limited):
    app, keys = limited
    client = app.test_client()
    answers = [client.post("/v1/check", json=CLAIM, headers=bearer(keys.only["check"])) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    refused = answers[-1]
    assert_conforms(refused, "/v1/check", "post")
    assert refused.mimetype == "application/problem+json" and 1 <= int(refused.headers["Retry-After"]) <= 61  # a minute, rounded up
    # Each key has its own budget; other scopes of the same key are not touched.
    assert client.post("/v1/check", json=CLAIM, headers=bearer(keys.every)).status_code == 200
    assert client.get("/v1/stats", headers=bearer(keys.all_but["ingest"])).status_code == 200


def test_limits_count_by_address_when_open(tmp_path, encoder, nlp):
    app = create_app(Settings(data_dir=tmp_path, rate_limits={**NO_LIMITS, "read": "2/minute"}, auth="off"))
    client = app.test_client()
    here = [client.get("/v1/stats").status_code for _ in range(3)]
    there = client.get("/v1/stats", environ_base={"REMOTE_ADDR": "198.51.100.7"}).status_code
    assert here == [200, 200, 429] and there == 200
    app.extensions["sayso"].index.stop()


def test_limits_settings_are_checked():
    assert per_scope({}) == DEFAULT_LIMITS
    assert per_scope({"ingest": "off", "check": "10 per second"})["ingest"] == "off"
    with pytest.raises(ValueError, match="no scope"):
        per_scope({"everything": "1/minute"})
    with pytest.raises(ValueError):
        per_scope({"check": "lots"})
    assert Settings.from_env({"SAYSO_RATE_LIMITS": "check=60/minute, ingest=off"}).rate_limits == {
        "check": "60/minute", "ingest": "off"}
