"""Where jobs run.

- No broker (the embedded default): each service process runs a background thread
  that takes the oldest unfinished job under a lease (renewed after every article),
  so a job interrupted by a crash is taken up again when its lease runs out, by the
  restarted service or by any other process sharing the store.
- ``SAYSO_BROKER_URL`` set: the service publishes a job's items to Celery in chunks
  (``sayso worker`` runs them) and marks the job dispatched; a background thread
  publishes any job left undispatched (the service died between the commit and the
  publish, or the broker was down), so no accepted job is left behind.
"""
from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from dataclasses import dataclass
from typing import Mapping, Optional, Sequence

from sqlalchemy.exc import DBAPIError

from core import FactChecker

from .jobs import JobStore, NewItem
from .tables import ImportJob
from .work import run_items

log = logging.getLogger(__name__)


@dataclass
class JobSettings:
    broker_url: Optional[str] = None
    # Redis: an unacknowledged task is delivered again after this many seconds; keep
    # it well above the time one task (``chunk`` articles) takes.
    visibility_timeout: int = 3600
    chunk: int = 10              # articles per Celery task
    lease_seconds: float = 30.0  # embedded runner: how long a job is held without news
    poll_seconds: float = 1.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> "JobSettings":
        return cls(
            broker_url=env.get("SAYSO_BROKER_URL") or None,
            visibility_timeout=int(env.get("SAYSO_BROKER_VISIBILITY_TIMEOUT") or cls.visibility_timeout),
            chunk=int(env.get("SAYSO_JOB_CHUNK") or cls.chunk),
            lease_seconds=float(env.get("SAYSO_JOB_LEASE_SECONDS") or cls.lease_seconds),
        )


def chunks(positions: Sequence[int], size: int) -> list[list[int]]:
    return [list(positions[i:i + size]) for i in range(0, len(positions), size)]


class Jobs:
    """Accept batches as jobs and see that they run."""

    def __init__(self, checker: FactChecker, settings: Optional[JobSettings] = None):
        self.checker = checker
        self.settings = settings or JobSettings.from_env()
        checker.store.create_schema()  # the job tables, if the store was opened before they were known
        self.store = JobStore(checker.store)
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: Optional[threading.Thread] = None

    @property
    def uses_broker(self) -> bool:
        return self.settings.broker_url is not None

    def submit(self, items: Sequence[NewItem]) -> ImportJob:
        """Store the job (committed before this returns), then set it going."""
        job = self.store.create(items)
        if self.uses_broker:
            try:
                self.dispatch(job.id)
            except Exception:  # the broker is down: the background thread publishes it later
                log.exception("could not publish job %s; will try again", job.id)
        else:
            self._wake.set()
        return job

    def dispatch(self, job_id: str) -> None:
        from .celery_app import ingest_items

        for chunk in chunks([item.position for item in self.store.pending(job_id)], self.settings.chunk):
            ingest_items.apply_async(args=[job_id, chunk])
        self.store.mark_dispatched(job_id)

    # -- the background thread -------------------------------------------------------
    def start(self) -> threading.Thread:
        target = self._publish_loop if self.uses_broker else self._run_loop
        self._thread = threading.Thread(target=target, name="sayso-jobs", daemon=True)
        self._thread.start()
        return self._thread

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()

    def _run_loop(self) -> None:
        while not self._stop.is_set():
            try:
                job_id = self.store.claim(self.owner, self.settings.lease_seconds)
                if job_id is None:
                    self._wake.wait(self.settings.poll_seconds)
                    self._wake.clear()
                    continue
                keep = lambda job_id=job_id: (not self._stop.is_set()
                                              and self.store.renew(job_id, self.owner, self.settings.lease_seconds))
                run_items(self.checker, job_id, keep_going=keep)
            except DBAPIError:
                log.exception("store unavailable while running jobs; trying again")
                self._stop.wait(5)
            except Exception:
                log.exception("job runner failed; trying again")
                self._stop.wait(5)

    def _publish_loop(self) -> None:
        while not self._stop.is_set():
            try:
                for job_id in self.store.undispatched():
                    self.dispatch(job_id)
            except Exception:
                log.exception("could not publish waiting jobs; trying again")
            self._stop.wait(10)
