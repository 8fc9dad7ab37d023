"""Import throughput with 1, 2, ... Celery workers on this machine (issue #16).

For each worker count: a fresh PostgreSQL schema, the Redis broker database flushed,
N `sayso worker` processes (one pool process each), one `sayso serve`, then
`sayso import --url` of the same FNC-1 article bodies (real news articles, ~2,100
characters on average). The rate is the importer's own: articles done per second
from the first article done to the last (model loading excluded).

    .venv/bin/python benchmarks/import_throughput.py --workers 1,2 --articles 150
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import PostgresSchemas  # noqa: E402
from tests.imports.harness import Service, Worker, environment, importer, write_jsonl  # noqa: E402

DATA = ROOT.parent / "shared" / "data"


def fnc_articles(n: int) -> list[dict]:
    csv.field_size_limit(10**9)
    with open(DATA / "fnc-1" / "train_bodies.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))[:n]
    return [{"text": r["articleBody"], "url": f"https://fnc1.test/{r['Body ID']}", "outlet": "FNC-1"} for r in rows]


def run(workers: int, articles: list[dict], broker: str, work: Path) -> dict:
    import redis

    redis.Redis.from_url(broker).flushdb()
    schemas = PostgresSchemas()
    database_url = schemas.new_url()
    env = environment(work / "data", database_url, SAYSO_BROKER_URL=broker)
    pool = [Worker(env, work / f"worker-{i}.log").start() for i in range(workers)]
    service = Service(env, work / "service.log", workers=1).start()
    log = work / "import.log"
    try:
        for worker in pool:  # models loaded before the clock starts
            worker.wait_ready()
        process = importer(write_jsonl(work / "articles.jsonl", articles), service.base, work / "failures.jsonl", log)
        process.wait(3600)
        summary = next(line for line in log.read_text().splitlines() if line.startswith("imported:"))
        rate = float(re.search(r"\(([\d.]+) articles/s\)", summary).group(1))
        seconds = float(re.search(r" in ([\d.]+) s", summary).group(1))
        return {"workers": workers, "articles": len(articles), "seconds": seconds, "articles_per_s": rate, "summary": summary}
    finally:
        for group in (service, *pool):
            group.stop()
        schemas.drop_all()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--articles", type=int, default=150)
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/6")
    args = parser.parse_args()
    articles = fnc_articles(args.articles)
    results = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                           "load_average_at_start": os.getloadavg()},
               "mean_chars": round(sum(len(a["text"]) for a in articles) / len(articles)), "runs": []}
    for n in (int(w) for w in args.workers.split(",")):
        with tempfile.TemporaryDirectory(prefix=f"sayso-import-{n}-") as work:
            result = run(n, articles, args.broker, Path(work))
        result["load_average_after"] = os.getloadavg()
        results["runs"].append(result)
        print(json.dumps(result), flush=True)
    out = ROOT / "benchmarks" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"import_throughput_{int(time.time())}.json").write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
