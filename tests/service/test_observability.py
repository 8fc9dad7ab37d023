"""Request ids and /metrics in one process (tests/service/test_operations.py runs them
under gunicorn)."""
from __future__ import annotations

import pytest

from .contract import assert_conforms
from .secured import bearer, secured_app, stop_background


@pytest.fixture(scope="module")
def open_metrics(tmp_path_factory, encoder, nlp):
    app, keys = secured_app(tmp_path_factory.mktemp("metrics"), None, metrics_open=True)
    yield app, keys
    stop_background(app)


def test_observability_request_id_is_echoed_or_made(open_metrics):
    app, _ = open_metrics
    client = app.test_client()
    assert client.get("/v1/health", headers={"X-Request-ID": "cms-42.a"}).headers["X-Request-ID"] == "cms-42.a"
    for unfit in ("", "x" * 129, "two words", "line\nbreak"):
        made = client.get("/v1/health", headers={"X-Request-ID": unfit} if "\n" not in unfit else {}).headers["X-Request-ID"]
        assert made != unfit and len(made) == 32
    denied = client.get("/v1/stats", headers={"X-Request-ID": "denied-1"})
    assert denied.status_code == 401 and denied.headers["X-Request-ID"] == "denied-1"


def test_observability_metrics_open_when_configured(open_metrics):
    app, keys = open_metrics
    client = app.test_client()
    client.get("/v1/stats", headers=bearer(keys.only["read"]))
    response = client.get("/metrics")
    assert response.status_code == 200
    assert_conforms(response, "/metrics", "get")
    text = response.get_data(as_text=True)
    assert 'sayso_http_requests_total{method="GET",route="/v1/stats",status="200"}' in text
    assert "sayso_index_vectors" in text and "sayso_index_lag_changes" in text
