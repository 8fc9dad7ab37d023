"""Production gunicorn settings for Sayso (`sayso serve` uses them)."""
import logging
import os

from models.language import keep_torch_out

# The service computes with ONNX Runtime; torch is for training only (~180 MiB and
# seconds of start-up per worker if spaCy's thinc found it installed).
keep_torch_out()
# Progress of long start-up work (re-embedding a store, building the index) in the log.
logging.basicConfig(level=logging.INFO, format="[%(process)d] %(name)s %(levelname)s: %(message)s")

# One compute thread per worker: workers, not threads, use the cores.
os.environ.setdefault("SAYSO_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

worker_class = "sync"
timeout = 120            # an article of 100,000 characters takes seconds to read on 2 cores
graceful_timeout = 30
accesslog = "-"
errorlog = "-"
loglevel = "info"


def post_fork(server, worker):
    """Each worker computes with the threads Settings give it (SAYSO_THREADS)."""
    from core.settings import Settings, limit_threads

    limit_threads(Settings.from_env().threads)


def worker_exit(server, worker):
    """A worker that stops saves its index file, so the next start loads instead of rebuilding."""
    app = getattr(worker, "wsgi", None)
    checker = app.extensions.get("sayso") if app is not None and hasattr(app, "extensions") else None
    if checker is not None:
        checker.close()
