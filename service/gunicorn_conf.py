"""Production gunicorn settings for Sayso (`sayso serve` uses them)."""
import os
import tempfile

# One torch thread per worker: workers, not threads, use the cores.
os.environ.setdefault("SAYSO_TORCH_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# Prometheus counts of every worker, added up at /metrics (service/observability.py).
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="sayso-metrics-")

worker_class = "sync"
timeout = 120            # an article of 100,000 characters takes seconds to read on 2 cores
graceful_timeout = 30
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
    """Each worker computes with the threads Settings give it (SAYSO_TORCH_THREADS)."""
    from core.settings import Settings, limit_threads

    limit_threads(Settings.from_env().torch_threads)


def worker_exit(server, worker):
    """A worker that stops saves its index file, so the next start loads instead of rebuilding."""
    app = getattr(worker, "wsgi", None)
    checker = app.extensions.get("sayso") if app is not None and hasattr(app, "extensions") else None
    if checker is not None:
        checker.close()
