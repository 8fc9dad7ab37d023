"""The Celery app of Sayso's import workers (``sayso worker``).

Delivery is at least once: a task is acknowledged only after it ran (``acks_late``),
a task whose worker process died is given back (``task_reject_on_worker_lost``), each
worker takes one task at a time (prefetch 1), and on Redis an unacknowledged task
comes back after ``visibility_timeout``. Tasks are idempotent (``work.run_items``), so
a task delivered twice stores nothing twice.

The models load once in the worker's main process, before the pool forks its
children; each child opens its own connections to the store.
"""
from __future__ import annotations

import logging
import os

from celery import Celery, signals
from sqlalchemy.exc import DBAPIError

from .runner import JobSettings

log = logging.getLogger(__name__)
QUEUE = "sayso-ingest"

_settings = JobSettings.from_env()
app = Celery("sayso", broker=_settings.broker_url or "redis://127.0.0.1:6379/0")
app.conf.update(
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    broker_transport_options={
        "visibility_timeout": _settings.visibility_timeout,
        # Look for tasks of vanished workers every 10 s (kombu's default scans only
        # every 10th time, ~100 s): cheap, and a redelivery waits no longer than needed.
        "unacked_restore_interval": 10,
        "unacked_restore_throttle": 1,
    },
    broker_connection_retry_on_startup=True,
    task_ignore_result=True,
    task_serializer="json",
    accept_content=["json"],
    task_default_queue=QUEUE,
    worker_hijack_root_logger=False,
)

_reader = None   # loaded in the main process, shared by the forked children
_checker = None  # per process


@signals.worker_init.connect
def _load_models(**_):
    global _reader
    from core.settings import limit_threads

    limit_threads(int(os.environ.get("SAYSO_THREADS") or 1))  # before anything runs: safe to fork
    from .work import load_reader

    _reader = load_reader()


@signals.worker_process_init.connect
def _child(**_):
    global _checker
    _checker = None  # connections are never shared across a fork


def checker():
    global _checker
    if _checker is None:
        from core.settings import Settings

        from .work import ingest_checker

        _checker = ingest_checker(Settings.from_env(), reader=_reader)
    return _checker


@app.task(name="sayso.ingest_items", bind=True, max_retries=None)
def ingest_items(self, job_id: str, positions: list[int]) -> None:
    """Ingest these items of the job (those still pending)."""
    from .work import run_items

    try:
        run_items(checker(), job_id, positions)
    except DBAPIError as error:  # the store did not answer: try again shortly
        log.warning("store error on job %s: %s; retrying", job_id, error)
        raise self.retry(exc=error, countdown=5)
