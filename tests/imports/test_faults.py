"""Nothing lost under faults (Jepsen's set test, bounded in time).

1,000 distinct short articles go in through `sayso import --url` (batches of 50, four
in flight) while processes are killed with SIGKILL:

- SQLite, embedded runner: the service (every gunicorn process) is killed once mid-import
  and restarted; its jobs resume when their leases run out.
- PostgreSQL with Celery on Redis: two `sayso worker`s; every few seconds one of them
  loses its pool process (or, every third time, the whole worker, then restarted), 12
  kills in all, and the service is killed and restarted once.

Then every article is in the store exactly once (0 lost, 0 duplicated), every job is
done, the importer reports no failure, and every service process's index holds exactly
the store's claim sentences.
"""
from __future__ import annotations

import os
import time
from collections import Counter

import pytest

from .harness import Service, Worker, environment, importer, short_articles, store_facts, write_jsonl

ARTICLES = 1000
KILLS = 12
KILL_EVERY = 3.0  # seconds
BROKER_URL = os.environ.get("SAYSO_TEST_BROKER_URL", "redis://127.0.0.1:6379/5")
DEADLINE = 900    # seconds for the import to finish after the faults


def redis_or_skip():
    import redis

    try:
        client = redis.Redis.from_url(BROKER_URL, socket_connect_timeout=3)
        client.flushdb()
        return client
    except redis.RedisError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is not reachable at {BROKER_URL} ({error}); .ci/setup.d/redis.sh starts it")
        pytest.skip(f"Redis is not reachable at {BROKER_URL}")


def wait_for_articles(database_url: str, count: int, process, seconds: float = 600) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if len(store_facts(database_url)["urls"]) >= count:
                return
        except Exception:  # tables not there yet
            pass
        time.sleep(0.5)


def finish(process, log, database_url: str) -> str:
    try:
        process.wait(DEADLINE)
    except Exception:
        process.kill()
        raise AssertionError("the import did not finish: " + log.read_text()[-2000:])
    output = log.read_text()
    assert process.returncode == 0, output[-3000:]
    deadline = time.monotonic() + 180  # a batch sent twice around the crash: its second job finishes too
    while store_facts(database_url)["jobs"].keys() - {"done"} and time.monotonic() < deadline:
        time.sleep(1)
    return output


def assert_nothing_lost(service: Service, database_url: str, articles: list[dict], output: str) -> None:
    facts = store_facts(database_url)
    stored = Counter(facts["urls"])
    sent = {a["url"] for a in articles}
    assert not sent - stored.keys(), f"lost: {sorted(sent - stored.keys())[:10]}"
    assert not [url for url, n in stored.items() if n > 1], "stored twice"
    assert stored.keys() == sent
    assert set(facts["jobs"]) == {"done"}, facts["jobs"]
    assert "pending" not in facts["items"] and "failed" not in facts["items"], facts["items"]
    summary = next(line for line in output.splitlines() if line.startswith("imported:"))
    counts = dict(part.split("=") for part in summary.split(" in ")[0].split()[1:])
    assert int(counts["failed"]) == 0 and int(counts["new"]) + int(counts["existing"]) == len(articles), summary
    for _ in range(8):  # requests land on either gunicorn worker: each has its own index
        assert service.get("/v1/stats")["index"]["size"] == facts["claim_sentences"]
    assert facts["claim_sentences"] >= len(articles)


def test_faults_embedded_sqlite_service_killed_mid_import(tmp_path):
    data_dir = tmp_path / "data"
    database_url = f"sqlite:///{data_dir / 'sayso.db'}"
    service = Service(environment(data_dir, None, SAYSO_JOB_LEASE_SECONDS="5"), tmp_path / "service.log").start()
    articles = short_articles(ARTICLES, "embedded-faults")
    log = tmp_path / "import.log"
    process = importer(write_jsonl(tmp_path / "articles.jsonl", articles), service.base, tmp_path / "failures.jsonl", log)
    try:
        wait_for_articles(database_url, ARTICLES // 4, process)
        service.crash()
        service.start()
        output = finish(process, log, database_url)
        assert_nothing_lost(service, database_url, articles, output)
    finally:
        if process.poll() is None:
            process.kill()
        service.stop()


@pytest.mark.postgres
def test_faults_celery_postgres_workers_killed_every_few_seconds(tmp_path, postgres_schemas):
    redis_or_skip()
    database_url = postgres_schemas.new_url()
    env = environment(tmp_path / "data", database_url, SAYSO_BROKER_URL=BROKER_URL,
                      SAYSO_BROKER_VISIBILITY_TIMEOUT="20")
    workers = [Worker(env, tmp_path / f"worker-{i}.log").start() for i in range(2)]
    service = Service(env, tmp_path / "service.log").start()
    articles = short_articles(ARTICLES, "celery-faults")
    log = tmp_path / "import.log"
    process = importer(write_jsonl(tmp_path / "articles.jsonl", articles), service.base, tmp_path / "failures.jsonl", log)
    kills = {"pool process": 0, "whole worker": 0, "service": 0}
    try:
        wait_for_articles(database_url, 50, process)
        for kill in range(KILLS):
            time.sleep(KILL_EVERY)
            worker = workers[kill % 2]
            if kill % 3 == 2 or not worker.kill_pool_process():
                worker.crash()
                worker.start()
                kills["whole worker"] += 1
            else:
                kills["pool process"] += 1
            if kill == KILLS // 2:
                service.crash()
                service.start()
                kills["service"] += 1
        assert sum(kills.values()) - kills["service"] >= 10 and kills["service"] == 1
        output = finish(process, log, database_url)
        assert_nothing_lost(service, database_url, articles, output)
    finally:
        if process.poll() is None:
            process.kill()
        for group in (service, *workers):
            group.stop()
