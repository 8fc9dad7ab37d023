"""Processes for the fault tests: the service (gunicorn) on a fixed port, Celery
workers, the importer; short distinct articles; what the store holds."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Optional

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 240

PLACES = ["Harbour", "Valley", "Northfield", "Kessel", "Lindholm", "Marsh", "Brook", "Ashby", "Torsby", "Quay"]
THINGS = ["buses", "classrooms", "street lamps", "ferries", "bridges", "clinics", "parks", "libraries", "wells", "trams"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def short_articles(n: int, tag: str) -> list[dict]:
    """``n`` distinct one-sentence articles, the same for the same arguments."""
    return [
        {
            "text": f"The {PLACES[i % 10]} council approved {i + 2} new {THINGS[(i // 10) % 10]} "
                    f"on {DAYS[i % 5]}, the mayor said.",
            "url": f"https://{tag}.example/{i}",
            "outlet": "Faults Gazette",
        }
        for i in range(n)
    ]


def write_jsonl(path: Path, articles: list[dict]) -> Path:
    path.write_text("".join(json.dumps(a) + "\n" for a in articles))
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


class Group:
    """A command in its own process group, so that a crash takes all of it."""

    def __init__(self, argv: list[str], env: dict, log: Path):
        self.argv, self.env, self.log_path = argv, env, log
        self.process: Optional[subprocess.Popen] = None

    def start(self) -> "Group":
        self.log = open(self.log_path, "a")
        self.process = subprocess.Popen(self.argv, cwd=ROOT, env=self.env, stdout=self.log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        return self

    def crash(self) -> None:
        """SIGKILL to every process of the group: nothing gets to clean up."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait()
        self.log.close()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.crash()
                return
        if self.process is not None:
            self.log.close()


def environment(data_dir: Path, database_url: Optional[str], **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("SAYSO_BROKER_URL", "SAYSO_DATABASE_URL")}
    env.update(SAYSO_DATA_DIR=str(data_dir), SAYSO_INDEX_SAVE_SECONDS="1", **extra)
    if database_url:
        env["SAYSO_DATABASE_URL"] = database_url
    return env


class Service(Group):
    """`sayso serve` on a port that stays the same across restarts."""

    def __init__(self, env: dict, log: Path, workers: int = 2):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        # No rate limits: these tests measure delivery under faults, not a key's budget
        # (the importer would wait out a 429 as Retry-After says).
        env = {"SAYSO_RATE_LIMITS": "check=off,read=off,ingest=off,feedback=off,admin=off", **env}
        super().__init__([sys.executable, "-m", "service.cli", "serve", "--bind", f"127.0.0.1:{self.port}",
                          "--workers", str(workers)], env, log)

    def start(self) -> "Service":
        super().start()
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: see {self.log_path}")
            try:
                with urllib.request.urlopen(self.base + "/v1/health", timeout=5) as response:
                    if response.status == 200:
                        return self
            except OSError:
                pass
            time.sleep(0.5)
        raise TimeoutError(f"gunicorn did not become ready: see {self.log_path}")

    def get(self, path: str) -> dict:
        with urllib.request.urlopen(self.base + path, timeout=60) as response:
            return json.loads(response.read())


class Worker(Group):
    """`sayso worker` (Celery, one pool process)."""

    def __init__(self, env: dict, log: Path):
        super().__init__([sys.executable, "-m", "service.cli", "worker", "--concurrency", "1", "--loglevel", "info"],
                         env, log)

    def wait_ready(self, seconds: float = STARTUP_SECONDS) -> "Worker":
        """Until Celery says the worker is ready (models loaded, consuming)."""
        deadline = time.monotonic() + seconds
        while "ready." not in self.log_path.read_text(errors="replace"):
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError(f"the worker did not start: see {self.log_path}")
            time.sleep(0.5)
        return self

    def kill_pool_process(self) -> bool:
        """SIGKILL the pool process that runs tasks (the main process forks a new one)."""
        for pid in children(self.process.pid):
            try:
                os.kill(pid, signal.SIGKILL)
                return True
            except ProcessLookupError:
                pass
        return False


def importer(source: Path, base: str, failures: Path, log: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "service.cli", "import", str(source), "--url", base, "--batch-size", "50",
         "--in-flight", "4", "--failures", str(failures), "--retry-seconds", "400", *extra],
        cwd=ROOT, env=dict(os.environ), stdout=open(log, "w"), stderr=subprocess.STDOUT, start_new_session=True,
    )


def store_facts(database_url: str) -> dict:
    """What the store holds, read with plain SQL."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as c:
            urls = [row[0] for row in c.execute(text("SELECT url FROM articles"))]
            return {
                "urls": urls,
                "claim_sentences": c.execute(text("SELECT count(*) FROM sentences WHERE embedding IS NOT NULL")).scalar(),
                "jobs": dict(c.execute(text("SELECT state, count(*) FROM import_jobs GROUP BY state")).all()),
                "items": dict(c.execute(text("SELECT state, count(*) FROM import_items GROUP BY state")).all()),
            }
    finally:
        engine.dispose()
