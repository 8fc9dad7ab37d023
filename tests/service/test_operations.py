"""The service run for a newsroom, under real gunicorn with 2 workers and Redis: rate
limits hold across workers, /metrics adds up every worker's counts, each request is
one JSON log line with its id and no key or text; a public bind without a key refuses
to start."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from .test_gunicorn import ARTICLE, CLAIM, Server, _free_port

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("SAYSO_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
READ_LIMIT = 60  # a minute


def redis_reachable() -> bool:
    try:
        import redis

        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except Exception:
        return False


def request(base: str, method: str, path: str, key: str | None = None, body=None, headers=None):
    """(status, headers, raw body)."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method, headers=headers or {})
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if key:
        req.add_header("Authorization", f"Bearer {key}")
    try:
        with urllib.request.urlopen(req, timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def make_key(env: dict, scopes: str) -> str:
    made = subprocess.run([sys.executable, "-m", "service.cli", "keys", "create", "--name", f"ops {scopes}", "--scopes", scopes],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    return made.stdout.strip()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    if not redis_reachable():
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    root = tmp_path_factory.mktemp("ops")
    metrics_dir = root / "metrics"
    env = {
        "SAYSO_REDIS_URL": REDIS_URL,
        "SAYSO_RATE_LIMITS": f"read={READ_LIMIT}/minute",
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
    }
    keys = {scopes: make_key(dict(os.environ, SAYSO_DATA_DIR=str(root / "data")), scopes)
            for scopes in ("read", "admin", "ingest", "check")}
    server = Server(root / "data", workers=2, env=env)
    yield server, keys, metrics_dir
    server.stop()


def metric(base: str, key: str, name: str, **labels) -> float:
    status, _, raw = request(base, "GET", "/metrics", key)
    assert status == 200
    for family in text_string_to_metric_families(raw.decode()):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return sample.value
    return 0.0


def test_operations_rate_limit_holds_across_two_workers_with_redis(served):
    server, keys, _ = served
    outcomes: list[tuple[int, object]] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + 60.0

    def hammer():
        while time.monotonic() < stop_at:
            status, headers, body = request(server.base, "GET", "/v1/stats", keys["read"])
            with lock:
                outcomes.append((status, headers, body))

    threads = [threading.Thread(target=hammer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    accepted = sum(1 for status, _, _ in outcomes if status == 200)
    refused = [(h, b) for status, h, b in outcomes if status == 429]
    assert {status for status, _, _ in outcomes} <= {200, 429}
    assert READ_LIMIT <= accepted <= 1.05 * READ_LIMIT, f"{accepted} accepted in one minute, limit {READ_LIMIT}"
    headers, body = refused[0]
    assert headers["Content-Type"] == "application/problem+json" and json.loads(body)["status"] == 429
    assert int(headers["Retry-After"]) >= 1
    # Another scope of the same key, and another key, have budgets of their own.
    assert request(server.base, "GET", "/metrics", keys["admin"])[0] == 200


def test_operations_metrics_add_up_across_two_workers(served):
    server, keys, metrics_dir = served
    sent = {}
    for _ in range(20):
        status = request(server.base, "GET", "/v1/articles?limit=1", keys["read"])[0]
        sent[status] = sent.get(status, 0) + 1
    assert request(server.base, "POST", "/v1/articles", keys["ingest"], ARTICLE)[0] == 201
    assert request(server.base, "POST", "/v1/check", keys["check"], CLAIM)[0] == 200

    for _ in range(4):  # whichever worker answers the scrape, the sums are the same
        for status, count in sent.items():
            assert metric(server.base, keys["admin"], "sayso_http_requests_total",
                          route="/v1/articles", method="GET", status=str(status)) == count
        assert metric(server.base, keys["admin"], "sayso_articles_ingested_total", result="created") == 1
        for stage in ("embed", "search", "stance"):
            assert metric(server.base, keys["admin"], "sayso_stage_duration_seconds_count", operation="check", stage=stage) == 1
        assert metric(server.base, keys["admin"], "sayso_stage_duration_seconds_count", operation="ingest", stage="embed") == 1
        assert metric(server.base, keys["admin"], "sayso_store_articles") == 1
        assert metric(server.base, keys["admin"], "sayso_http_request_duration_seconds_count",
                      route="/v1/articles", method="GET") == sum(sent.values())
    assert len({p.name.rsplit("_", 1)[1] for p in metrics_dir.glob("counter_*.db")}) == 2, "both workers counted"
    deadline = time.monotonic() + 10
    while metric(server.base, keys["admin"], "sayso_index_lag_changes") != 0:
        assert time.monotonic() < deadline
        time.sleep(0.2)
    assert metric(server.base, keys["admin"], "sayso_index_vectors") >= 1
    assert request(server.base, "GET", "/metrics", keys["read"])[0] == 403
    assert request(server.base, "GET", "/metrics")[0] == 401


def test_operations_one_json_log_line_per_request_without_keys_or_text(served):
    server, keys, _ = served
    status, headers, _ = request(server.base, "POST", "/v1/check", keys["check"], CLAIM, {"X-Request-ID": "ops-log-1"})
    assert status == 200 and headers["X-Request-ID"] == "ops-log-1"
    generated = request(server.base, "GET", "/v1/health")[1]["X-Request-ID"]
    time.sleep(0.5)
    text = Path(server.log.name).read_text()
    lines = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    requests = [line for line in lines if line.get("event") == "request"]
    mine = [line for line in requests if line["request_id"] == "ops-log-1"]
    assert len(mine) == 1
    assert mine[0] | {"duration_ms": 0, "timestamp": ""} == mine[0] | {
        "route": "/v1/check", "status": 200, "key_id": keys["check"].split("_")[1], "method": "POST",
        "duration_ms": 0, "timestamp": "",
    }
    assert any(line["request_id"] == generated for line in requests)
    assert all({"request_id", "route", "status", "duration_ms", "key_id"} <= set(line) for line in requests)
    for key in keys.values():
        assert key.split("_", 2)[2] not in text
    assert CLAIM["claim"] not in text and ARTICLE["text"][:40] not in text


def test_operations_public_bind_without_a_key_refuses_to_start(tmp_path):
    env = dict(os.environ, SAYSO_DATA_DIR=str(tmp_path / "data"))
    env.pop("SAYSO_AUTH", None)
    started = subprocess.run(
        [sys.executable, "-m", "service.cli", "serve", "--bind", f"0.0.0.0:{_free_port()}", "--workers", "1"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert started.returncode != 0
    assert "Refusing to start" in started.stdout + started.stderr
