"""Request ids, one JSON log line per request (structlog) and Prometheus metrics.

- Each request gets an id: the client's ``X-Request-ID`` when it sends a sane one, else
  a new one; it is echoed in the response and written to the log and the audit trail.
- The log line names the route, status, duration and key id; never the key, the claim
  or the article text (no body, no query string).
- ``/metrics`` (prometheus_client) counts requests by route and status, times them,
  times the stages of checks and ingestion (from the Server-Timing header), counts
  articles taken in and deleted, and reports the index's size and how far it trails
  the store. Under gunicorn the counts of all workers are added up (multiprocess mode:
  ``PROMETHEUS_MULTIPROC_DIR``, set up by service/gunicorn_conf.py).
"""
from __future__ import annotations

import logging
import os
import re
import sys
import time
import uuid

import structlog
from flask import Blueprint, Flask, Response, current_app, g, request
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

from models.timing import parse_server_timing

from .auth import ADMIN, key_id, requires

REQUEST_ID = "X-Request-ID"
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:@/+=-]{1,128}")

REQUESTS = Counter("sayso_http_requests_total", "HTTP requests answered.", ["method", "route", "status"])
LATENCY = Histogram(
    "sayso_http_request_duration_seconds", "Time to answer an HTTP request.", ["method", "route"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4, 12.8, 30.0),
)
STAGES = Histogram(
    "sayso_stage_duration_seconds", "Time per stage of a check or an ingestion (embed, search, stance, ...).",
    ["operation", "stage"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)
INGESTED = Counter("sayso_articles_ingested_total", "Articles posted, by result (created or duplicate).", ["result"])
DELETED = Counter("sayso_articles_deleted_total", "Articles deleted.")
# Which endpoints' Server-Timing stages are check stages and which ingestion stages.
STAGED = {"checks.check": "check", "checks.check_draft": "check", "articles.create_article": "ingest"}

log = structlog.get_logger("sayso")


def configure_logging() -> None:
    """JSON lines, one object per event with the time in UTC, through the standard
    ``sayso`` logger (to stdout unless the host set up logging otherwise)."""
    structlog.configure(
        processors=[
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(),
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.make_filtering_bound_logger(logging.INFO),
        cache_logger_on_first_use=True,
    )
    logger = logging.getLogger("sayso")
    logger.setLevel(logging.INFO)
    if not logger.handlers and not logging.getLogger().handlers:
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)


def request_id() -> str:
    return g.get("request_id") or "-"


def register(app: Flask) -> None:
    """Hooks first in, last out: the id exists before any other hook runs, and the log
    line is written after every other hook has had its say on the response."""
    configure_logging()

    @app.before_request
    def start():
        sent = request.headers.get(REQUEST_ID, "")
        g.request_id = sent if SANE_REQUEST_ID.fullmatch(sent) else uuid.uuid4().hex
        g.started = time.perf_counter()

    @app.after_request
    def finish(response: Response) -> Response:
        response.headers[REQUEST_ID] = request_id()
        seconds = time.perf_counter() - g.get("started", time.perf_counter())
        route = request.url_rule.rule if request.url_rule is not None else "unmatched"
        REQUESTS.labels(request.method, route, str(response.status_code)).inc()
        LATENCY.labels(request.method, route).observe(seconds)
        operation = STAGED.get(request.endpoint or "")
        if operation and response.status_code < 300 and "Server-Timing" in response.headers:
            for name, spent in parse_server_timing(response.headers["Server-Timing"]).items():
                STAGES.labels(operation, name).observe(spent)
        if request.endpoint == "articles.create_article" and response.status_code in (200, 201):
            INGESTED.labels("created" if response.status_code == 201 else "duplicate").inc()
        elif request.endpoint == "articles.delete_article" and response.status_code == 204:
            DELETED.inc()
        log.info(
            "request", request_id=request_id(), method=request.method, route=route, path=request.path,
            status=response.status_code, duration_ms=round(seconds * 1000, 2), key_id=key_id(),
            client=request.remote_addr,
        )
        return response

    app.register_blueprint(blueprint)


class CorpusCollector:
    """What the scraping worker sees of the store and its index, at scrape time."""

    def __init__(self, checker):
        self.checker = checker

    def collect(self):
        index, store = self.checker.index, self.checker.store
        store_seq = store.last_seq()
        counts = store.counts()
        yield GaugeMetricFamily("sayso_index_vectors", "Claim sentences in this worker's vector index.", value=len(index))
        yield GaugeMetricFamily(
            "sayso_index_lag_changes", "Changes in the store's index_log that this worker's index has not applied yet.",
            value=max(0, store_seq - index.seq),
        )
        for name, value in counts.items():
            yield GaugeMetricFamily(f"sayso_store_{name}", f"{name.capitalize()} in the store.", value=value)


blueprint = Blueprint("metrics", __name__)


@blueprint.get("/metrics")
@requires(ADMIN, open_when=lambda settings: settings.metrics_open)
def metrics():
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        counted = CollectorRegistry()
        MultiProcessCollector(counted)
    else:
        counted = REGISTRY
    corpus = CollectorRegistry()
    corpus.register(CorpusCollector(current_app.extensions["sayso"]))
    return Response(generate_latest(counted) + generate_latest(corpus), content_type=CONTENT_TYPE_LATEST)
