"""Production gunicorn settings for Sayso (`sayso serve` uses them)."""
import os

# One torch thread per worker: workers, not threads, use the cores.
os.environ.setdefault("SAYSO_TORCH_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

worker_class = "sync"
timeout = 120            # an article of 100,000 characters takes seconds to read on 2 cores
graceful_timeout = 30
# gunicorn answers a request line over its limit (4094 bytes by default) itself, with a
# 414 in HTML outside the contract; 0 lifts the limit to gunicorn's 1 MiB ceiling, below
# the 2 MiB a body may have, so only absurd URLs get that answer.
limit_request_line = 0
accesslog = "-"
errorlog = "-"
loglevel = "info"
