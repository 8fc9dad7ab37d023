"""`sayso import` and `sayso worker`.

    sayso import archive.jsonl --url https://sayso.newsroom.example [--key KEY]
    sayso import wordpress-export.xml --direct          # on a node, straight into the store
    sayso worker --concurrency 2                        # a Celery worker (SAYSO_BROKER_URL)

An import reads the source, checks each article as the API would (a bad one is
reported with its file and line, never a crash), and sends the rest in batches
(``POST /v1/articles/batch``, several jobs in flight), or ingests them itself with
``--direct``. A progress bar shows articles done, articles/s and time left. Ctrl-C
stops cleanly; running the same command again resumes, since articles already stored
are recognised by their url, external id or text and counted as already there. At
the end it prints the counts of new, already there and failed, writes each failure
and its reason to a file, and exits 1 when any failed.
"""
from __future__ import annotations

import json
import os
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional

from marshmallow import ValidationError

from .sources import KINDS, Record, count_source, read_source

EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 1, 2, 130
RETRY_STATUSES = {429, 500, 502, 503, 504}  # 429: over the key's rate limit; wait as told


# -- what an import adds up to ------------------------------------------------------------------
@dataclass
class Tally:
    new: int = 0
    existing: int = 0
    failures: list[dict[str, str]] = field(default_factory=list)

    def fail(self, location: str, reason: str) -> None:
        self.failures.append({"location": location, "reason": reason})

    @property
    def done(self) -> int:
        return self.new + self.existing + len(self.failures)

    def line(self) -> str:
        return f"imported: new={self.new} existing={self.existing} failed={len(self.failures)}"


class Stop:
    """Ctrl-C asks the import to stop after the current step; a second one stops at once."""

    def __init__(self):
        self.requested = False

    def __enter__(self):
        self._previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def _handle(self, *_):
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True

    def __exit__(self, *_):
        signal.signal(signal.SIGINT, self._previous)


def validation_reason(messages: Any) -> str:
    if isinstance(messages, dict):
        return "; ".join(f"{name}: {' '.join(map(str, v)) if isinstance(v, list) else v}" for name, v in sorted(messages.items()))
    return str(messages)


def checked(records: Iterable[Record], max_text_chars: int, outlet: Optional[str],
            tally: Tally) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(location, fields as read, fields as validated) of each good record; the bad ones
    go into ``tally`` with their reason."""
    from service.request_schemas import article_schema

    schema = article_schema(max_text_chars)
    for record in records:
        if record.error is not None:
            tally.fail(record.location, record.error)
            yield record.location, {}, {}  # counted: lets the progress bar move
            continue
        raw = dict(record.fields)
        if outlet and not raw.get("outlet"):
            raw["outlet"] = outlet
        try:
            loaded = schema.load(raw)
        except ValidationError as error:
            tally.fail(record.location, validation_reason(error.messages))
            yield record.location, {}, {}
            continue
        if isinstance(raw.get("external_id"), str) and not raw["external_id"].strip():
            raw.pop("external_id")
        yield record.location, raw, loaded


# -- progress --------------------------------------------------------------------------------
def progress_bar(total: Optional[int]):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeRemainingColumn
    from rich.text import Text

    class Rate(ProgressColumn):
        def render(self, task) -> Text:
            return Text(f"{task.speed or 0:.1f} articles/s")

    progress = Progress(TextColumn("importing"), BarColumn(), MofNCompleteColumn(), Rate(),
                        TextColumn("left:"), TimeRemainingColumn(), speed_estimate_period=60)
    return progress, progress.add_task("import", total=total)


# -- into a running service -----------------------------------------------------------------
class Service:
    """The batch API of a running service, with retries while it is unreachable or
    restarting (an import of an archive should outlive a deploy)."""

    def __init__(self, url: str, key: Optional[str], retry_seconds: float, stop: Stop):
        import requests

        self.base = url.rstrip("/")
        self.http = requests.Session()
        if key:
            self.http.headers["Authorization"] = f"Bearer {key}"
        self.retry_seconds = retry_seconds
        self.stop = stop

    def call(self, method: str, path: str, body: Any = None):
        import requests

        deadline, wait = time.monotonic() + self.retry_seconds, 0.5
        while True:
            try:
                response = self.http.request(method, self.base + path, json=body, timeout=120)
                if response.status_code not in RETRY_STATUSES:
                    if response.status_code in (401, 403):
                        raise SystemExit(f"sayso import: the service refused the key ({response.status_code}): "
                                         f"{response.text[:300]}")
                    return response
                problem = f"HTTP {response.status_code}"
                if response.status_code == 429:  # the service says how long to wait: do not count it as down
                    retry_after = float(response.headers.get("Retry-After") or 1)
                    deadline = max(deadline, time.monotonic() + retry_after + self.retry_seconds)
                    time.sleep(min(retry_after, 60))
                    continue
            except requests.RequestException as error:  # refused, reset, cut off mid-answer, timed out
                problem = type(error).__name__
            if self.stop.requested:
                raise KeyboardInterrupt
            if time.monotonic() > deadline:
                raise SystemExit(f"sayso import: {self.base} did not answer for {self.retry_seconds:.0f} s ({problem})")
            time.sleep(wait)
            wait = min(wait * 2, 5.0)


@dataclass
class Outstanding:
    locations: list[str]
    finished: int = 0  # items with a result, as last seen


def import_to_service(articles, service: Service, tally: Tally, advance, stop: Stop,
                      batch_size: int, in_flight: int) -> None:
    jobs: dict[str, Outstanding] = {}

    def poll() -> None:
        for job_id, job in list(jobs.items()):
            response = service.call("GET", f"/v1/jobs/{job_id}")
            if response.status_code != 200:
                for location in job.locations[job.finished:]:
                    tally.fail(location, f"job {job_id} is gone (HTTP {response.status_code})")
                advance(len(job.locations) - job.finished)
                del jobs[job_id]
                continue
            view = response.json()
            finished = view["counts"]["total"] - view["counts"]["pending"]
            if view["state"] != "done":
                advance(finished - job.finished)
                job.finished = finished
                continue
            for item in view["items"]:
                location = job.locations[item["position"]]
                if item["state"] == "created":
                    tally.new += 1
                elif item["state"] == "existing":
                    tally.existing += 1
                else:
                    error = item.get("error") or {}
                    tally.fail(location, validation_reason(error["errors"]) if error.get("errors")
                               else error.get("detail", "failed"))
            advance(len(job.locations) - job.finished)
            del jobs[job_id]

    def submit(batch: list[tuple[str, dict]]) -> None:
        while len(jobs) >= in_flight and not stop.requested:
            poll()
            if len(jobs) >= in_flight:
                time.sleep(1.0)
        if stop.requested:
            return  # not sent: the next run sends it
        response = service.call("POST", "/v1/articles/batch", {"articles": [fields for _, fields in batch]})
        if response.status_code == 413 and len(batch) > 1:  # over the body limit: halve it
            half = len(batch) // 2
            submit(batch[:half])
            submit(batch[half:])
            return
        if response.status_code != 202:
            try:
                reason = response.json().get("detail") or response.text
            except ValueError:
                reason = response.text
            for location, _ in batch:
                tally.fail(location, f"the service refused the batch (HTTP {response.status_code}): {reason[:300]}")
            advance(len(batch))
            return
        jobs[response.json()["id"]] = Outstanding([location for location, _ in batch])

    batch: list[tuple[str, dict]] = []
    for location, raw, _ in articles:
        if stop.requested:
            break
        if not raw:
            advance(1)
            continue
        batch.append((location, raw))
        if len(batch) >= batch_size:
            submit(batch)
            batch = []
    if batch and not stop.requested:
        submit(batch)
    while jobs and not stop.requested:
        poll()
        if jobs:
            time.sleep(1.0)
    if jobs:
        print(f"stopped; {len(jobs)} job(s) go on in the service: " + ", ".join(jobs), file=sys.stderr)


# -- straight into the store ----------------------------------------------------------------
def import_direct(articles, tally: Tally, advance, stop: Stop) -> None:
    from core.settings import Settings, limit_threads

    from .work import ingest_checker

    # One thread: on a busy node more threads fight over the cores (10x slower on 2 cores).
    limit_threads(int(os.environ.get("SAYSO_THREADS") or 1))
    checker = ingest_checker(Settings.from_env())
    for location, raw, loaded in articles:
        if stop.requested:
            break
        if raw:
            try:
                _, created = checker.ingest(loaded)
            except Exception as error:  # this article; the next one may go in
                tally.fail(location, f"{type(error).__name__}: {error}"[:1000])
            else:
                if created:
                    tally.new += 1
                else:
                    tally.existing += 1
        advance(1)


# -- the commands ---------------------------------------------------------------------------
def add_arguments(commands) -> None:
    parser = commands.add_parser("import", help="bring an archive in (JSON Lines, CSV, a folder of .txt/.html, WordPress WXR)")
    parser.add_argument("source", type=Path, help="a .jsonl, .csv or WordPress export .xml file, or a folder")
    parser.add_argument("--kind", choices=KINDS, help="what the source holds (default: by its name)")
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--url", help="a running service, e.g. http://127.0.0.1:8000")
    where.add_argument("--direct", action="store_true", help="straight into the store (SAYSO_DATABASE_URL / SAYSO_DATA_DIR)")
    parser.add_argument("--key", default=os.environ.get("SAYSO_API_KEY"), help="API key (default: SAYSO_API_KEY)")
    parser.add_argument("--outlet", help="outlet for articles that name none")
    parser.add_argument("--batch-size", type=int, default=100, help="articles per batch (at most 500)")
    parser.add_argument("--in-flight", type=int, default=4, help="batches the service works on at once")
    parser.add_argument("--failures", type=Path, default=Path("import-failures.jsonl"),
                        help="where each failure and its reason is written (JSON Lines)")
    parser.add_argument("--retry-seconds", type=float, default=600,
                        help="how long to keep trying while the service does not answer")

    worker = commands.add_parser("worker", help="run a Celery worker that ingests import jobs (needs SAYSO_BROKER_URL)")
    worker.add_argument("--concurrency", type=int, default=int(os.environ.get("SAYSO_WORKER_CONCURRENCY", "1")),
                        help="worker processes (each holds the models: ~0.7 GB)")
    worker.add_argument("--loglevel", default="info")


def run_import(args) -> int:
    from core.settings import Settings

    source: Path = args.source
    if not source.exists():
        print(f"sayso import: {source} does not exist", file=sys.stderr)
        return EXIT_USAGE
    if not 1 <= args.batch_size <= 500:
        print("sayso import: --batch-size must be between 1 and 500", file=sys.stderr)
        return EXIT_USAGE
    try:
        total = count_source(source, args.kind)
    except ValueError as error:
        print(f"sayso import: {error}", file=sys.stderr)
        return EXIT_USAGE
    tally = Tally()
    started: list[float] = []  # when the first article was done (models loaded by then)
    with Stop() as stop:
        progress, task = progress_bar(total)
        articles = checked(read_source(source, args.kind), Settings.from_env().max_text_chars, args.outlet, tally)
        with progress:
            def advance(n: int) -> None:
                if not started:
                    started.append(time.monotonic())
                progress.advance(task, n)

            try:
                if args.direct:
                    import_direct(articles, tally, advance, stop)
                else:
                    service = Service(args.url, args.key, args.retry_seconds, stop)
                    import_to_service(articles, service, tally, advance, stop, args.batch_size, max(1, args.in_flight))
            except KeyboardInterrupt:
                stop.requested = True
    seconds = time.monotonic() - started[0] if started else 0.0
    with open(args.failures, "w", encoding="utf-8") as f:
        for failure in tally.failures:
            f.write(json.dumps(failure, ensure_ascii=False) + "\n")
    print(f"{tally.line()} in {seconds:.1f} s ({tally.done / max(seconds, 1e-9):.1f} articles/s)")
    if tally.failures:
        print(f"failures and their reasons: {args.failures}")
        for failure in tally.failures[:5]:
            print(f"  {failure['location']}: {failure['reason']}")
    if stop.requested:
        print("stopped before the end: run the same command again to resume", file=sys.stderr)
        return EXIT_INTERRUPTED
    return EXIT_FAILED if tally.failures else 0


def run_worker(args) -> int:
    if not os.environ.get("SAYSO_BROKER_URL"):
        print("sayso worker: set SAYSO_BROKER_URL (e.g. redis://127.0.0.1:6379/0)", file=sys.stderr)
        return EXIT_USAGE
    for name, value in (("SAYSO_THREADS", "1"), ("OMP_NUM_THREADS", "1"),
                        ("HF_HUB_OFFLINE", "1"), ("TOKENIZERS_PARALLELISM", "false")):
        os.environ.setdefault(name, value)
    from .celery_app import QUEUE

    command = [sys.executable, "-m", "celery", "-A", "imports.celery_app", "worker",
               "--pool", "prefork", "--concurrency", str(args.concurrency), "--queues", QUEUE,
               "--loglevel", args.loglevel, "--hostname", f"sayso-{os.getpid()}@%h",
               "--without-gossip", "--without-mingle"]
    os.execv(sys.executable, command)
    return 0
