"""Bringing archives in: batches of articles run as jobs, and the `sayso import` command.

- ``sources``: read an archive (JSON Lines, CSV, a folder of .txt/.html, a WordPress
  export) into article fields, each with where it came from.
- ``tables`` / ``jobs``: a batch is a job stored with its items in the store, so it
  survives a restart; item results are written once (idempotent).
- ``work``: ingest a job's pending items (the same code for the embedded runner and
  Celery workers).
- ``runner``: where jobs run: in the service's own background thread (no broker), or
  on Celery workers (``SAYSO_BROKER_URL``), ``celery_app`` being their app.
- ``api``: ``POST /v1/articles/batch`` and ``GET /v1/jobs/{id}``.
- ``command``: ``sayso import`` and ``sayso worker``.
"""
