"""Production gunicorn settings for Sayso (`sayso serve` uses them)."""
import logging
import os
import tempfile

from models.language import keep_torch_out

# The service computes with ONNX Runtime; torch is for training only (~180 MiB and
# seconds of start-up per worker if spaCy's thinc found it installed).
keep_torch_out()
# Progress of long start-up work (re-embedding a store, building the index) in the log.
logging.basicConfig(level=logging.INFO, format="%(message)s")  # the JSON request lines stay one JSON object a line

# One compute thread per worker: workers, not threads, use the cores.
os.environ.setdefault("SAYSO_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# Prometheus counts of every worker, added up at /metrics (service/observability.py).
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="sayso-metrics-")

# gthread with one thread: requests still run one at a time per worker, as with "sync",
# but a connection that sends nothing (a browser's preconnect, e.g. Chromium's for the
# editor page at /) is parked after a few seconds instead of blocking the worker until
# `timeout` kills it. It also keeps connections alive between the page's requests.
worker_class = "gthread"
threads = 1
timeout = 120            # an article of 100,000 characters takes seconds to read on 2 cores
graceful_timeout = 30
# gunicorn answers a request line over its limit (4094 bytes by default) itself, with a
# 414 in HTML outside the contract; 0 lifts the limit to gunicorn's 1 MiB ceiling, below
# the 2 MiB a body may have, so only absurd URLs get that answer.
limit_request_line = 0
accesslog = None          # the app writes one JSON line per request instead
errorlog = "-"
loglevel = "info"


def on_starting(server):
    """Before any worker: upgrade the store, refuse an unguarded public bind, reset metrics."""
    from service.startup import check, fresh_metrics_dir

    fresh_metrics_dir()
    check(server.cfg.address, server.log)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def post_fork(server, worker):
    """Each worker computes with the threads Settings give it (SAYSO_THREADS)."""
    from core.settings import Settings, limit_threads

    limit_threads(Settings.from_env().threads)


def worker_exit(server, worker):
    """A worker that stops hands back its import jobs and saves its index file, so the next start loads instead of rebuilding."""
    app = getattr(worker, "wsgi", None)
    extensions = getattr(app, "extensions", {})
    if extensions.get("sayso_jobs") is not None:
        extensions["sayso_jobs"].stop()
    if extensions.get("sayso") is not None:
        extensions["sayso"].close()
