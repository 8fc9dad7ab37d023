"""The service as it runs in production: real gunicorn processes, real crashes.

- An acknowledged article survives kill -9 of the whole server.
- Two gunicorn workers over one SQLite data directory both serve a new article.
- Two service processes sharing one PostgreSQL see each other's articles within a second.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 180


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(base: str, method: str, path: str, body=None, key: str | None = None) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if key is not None:
        request.add_header("Authorization", f"Bearer {key}")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            raw = response.read()
            return response.status, json.loads(raw) if raw else {}
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


class Server:
    """`sayso serve` (gunicorn) in its own process group, so a crash can take all of it."""

    def __init__(self, data_dir: Path, database_url: str | None = None, workers: int = 2, env: dict | None = None):
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, SAYSO_DATA_DIR=str(data_dir), SAYSO_INDEX_SAVE_SECONDS="1", **(env or {}))
        if database_url:
            env["SAYSO_DATABASE_URL"] = database_url
        self.log = open(data_dir.parent / f"gunicorn-{self.port}.log", "w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "service.cli", "serve", "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers)],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        self.wait_ready()

    def wait_ready(self) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: see {self.log.name}")
            try:
                if call(self.base, "GET", "/v1/health")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise TimeoutError("gunicorn did not become ready")

    def crash(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.crash()
        self.log.close()


@pytest.fixture
def servers():
    started: list[Server] = []
    yield started
    for server in started:
        server.stop()


ARTICLE = {
    "text": "The Nordhavn desalination plant produced 9,400 cubic metres of water a day in its first month, "
    "the utility said on Monday.\nEngineers expect output to double by 2027.",
    "url": "https://example.test/nordhavn-desalination",
    "outlet": "Harbour Post",
}
CLAIM = {"claim": "The Nordhavn desalination plant produces 9,400 cubic metres of water a day"}


def _found(base: str) -> bool:
    status, body = call(base, "POST", "/v1/check", CLAIM)
    assert status == 200, body
    return any(r["source"]["url"] == ARTICLE["url"] for r in body["results"])


def test_gunicorn_acknowledged_article_survives_kill_9(tmp_path, servers):
    data_dir = tmp_path / "data"
    server = Server(data_dir)
    servers.append(server)
    status, article = call(server.base, "POST", "/v1/articles", ARTICLE)
    assert status == 201
    server.crash()  # no shutdown hook runs: only what was committed survives

    restarted = Server(data_dir)
    servers.append(restarted)
    status, again = call(restarted.base, "GET", f"/v1/articles/{article['id']}")
    assert status == 200 and again == article
    assert _found(restarted.base)
    # Indexed: every sentence that reads as a claim, whether or not it is check-worthy.
    assert call(restarted.base, "GET", "/v1/stats")[1]["index"]["size"] >= sum(s["is_claim"] for s in article["sentences"]) > 0


def test_gunicorn_every_worker_serves_a_new_article_at_once(tmp_path, servers):
    server = Server(tmp_path / "data", workers=2)
    servers.append(server)
    assert call(server.base, "POST", "/v1/articles", ARTICLE)[0] == 201
    # Requests land on either worker; each must find the article the other stored.
    assert all(_found(server.base) for _ in range(8))


@pytest.mark.postgres
def test_gunicorn_two_services_on_one_postgres_see_each_others_articles(tmp_path, servers, postgres_url):
    first = Server(tmp_path / "first", database_url=postgres_url, workers=1)
    second = Server(tmp_path / "second", database_url=postgres_url, workers=1)
    servers += [first, second]
    status, article = call(first.base, "POST", "/v1/articles", dict(ARTICLE, url=ARTICLE["url"] + "-pg"))
    assert status == 201
    posted = time.monotonic()
    while not any(r["source"]["article_id"] == article["id"] for r in call(second.base, "POST", "/v1/check", CLAIM)[1]["results"]):
        assert time.monotonic() - posted < 1.0, "not visible on the other service within a second"
        time.sleep(0.05)

    assert call(second.base, "DELETE", f"/v1/articles/{article['id']}")[0] == 204
    results = call(first.base, "POST", "/v1/check", CLAIM)[1]["results"]
    assert article["id"] not in [r["source"]["article_id"] for r in results]


def _worker_pids(server: Server) -> list[int]:
    children = Path(f"/proc/{server.process.pid}/task/{server.process.pid}/children").read_text().split()
    return [int(c) for c in children]


def test_gunicorn_workers_run_without_torch(tmp_path, servers):
    server = Server(tmp_path / "data", workers=2)
    servers.append(server)
    assert call(server.base, "POST", "/v1/articles", ARTICLE)[0] == 201
    assert all(_found(server.base) for _ in range(4))  # both workers have read and checked
    for pid in _worker_pids(server):
        maps = Path(f"/proc/{pid}/maps").read_text()
        assert "libtorch" not in maps and "onnxruntime" in maps


def test_gunicorn_workers_reembed_a_store_of_another_model_once(tmp_path, servers):
    import numpy as np

    from index.store import CorpusStore
    from models.article import ReadArticle, Sentence
    from models.encoder import DIMENSION, EMBEDDING_MODEL

    data_dir = tmp_path / "data"
    data_dir.mkdir()
    store = CorpusStore(f"sqlite:///{data_dir / 'sayso.db'}")
    store.create_schema()
    store.record_embedding_model("all-MiniLM-L6-v2")  # the torch model, before ONNX
    text = ARTICLE["text"]
    lines = text.split("\n")
    read = ReadArticle(text, sentences=[Sentence(s, text.index(s), text.index(s) + len(s), is_claim=True) for s in lines])
    vectors = np.random.default_rng(0).normal(size=(len(lines), DIMENSION)).astype("float32")  # only re-embedding finds it
    store.add_article({k: ARTICLE[k] for k in ("text", "url", "outlet")}, read,
                      dict(enumerate(vectors / np.linalg.norm(vectors, axis=1, keepdims=True))))

    server = Server(data_dir, workers=2)  # both workers open the store at once
    servers.append(server)
    assert all(_found(server.base) for _ in range(8))
    assert store.embedding_model() == EMBEDDING_MODEL
    log = Path(server.log.name).read_text()
    assert log.count("re-embedding") == 1 and "re-embedded 2/2 claim sentences" in log
