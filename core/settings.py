"""Service settings, from SAYSO_* environment variables."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Optional


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    value = env.get(name)
    return int(value) if value not in (None, "") else default


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    value = env.get(name)
    return float(value) if value not in (None, "") else default


def _optional_float(env: Mapping[str, str], name: str) -> Optional[float]:
    value = env.get(name)
    return float(value) if value not in (None, "") else None


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    value = env.get(name)
    if value in (None, ""):
        return default
    return value.strip().lower() not in ("0", "false", "no", "off")


def _pairs(value: str) -> dict[str, str]:
    """{"check": "60/minute"} from "check=60/minute, ingest=off"."""
    pairs = (part.split("=", 1) for part in value.split(",") if "=" in part)
    return {name.strip(): limit.strip() for name, limit in pairs}


def _stance_dir(value: Optional[str]) -> Optional[Path]:
    """SAYSO_STANCE_DIR as a path; a directory without a stance artifact stops the start
    (rather than the service quietly judging without its model)."""
    if not value:
        return None
    from models.stance.model import StanceModel

    missing = StanceModel.missing(value)
    if missing:
        raise ValueError(f"SAYSO_STANCE_DIR={value}: no stance artifact there (missing {', '.join(missing)})")
    return Path(value)


@dataclass
class Settings:
    data_dir: Path = Path("data")
    # SQLite file in the data directory unless a URL is given (postgresql+psycopg://...).
    database_url: Optional[str] = None
    # Longest article text accepted, in characters (a long feature is ~30,000).
    max_text_chars: int = 100_000
    # Longest claim accepted, in characters.
    max_claim_chars: int = 2_000
    # Largest request body, in bytes.
    max_body_bytes: int = 2 * 1024 * 1024
    # How far below this cosine similarity a sentence is not even considered for a claim.
    min_similarity: float = 0.25
    # Seconds between saves of the vector index file; the index follows the store each second.
    index_save_seconds: float = 30.0
    index_poll_seconds: float = 1.0
    # Use the trained stance cross-encoder beside the detectors (SAYSO_STANCE_MODEL=0
    # turns it off). On the FNC-1 hold-out it lifts macro-F1 from 0.508 (detectors +
    # similarity alone) to 0.603 and costs ~22 ms per check (models/stance/MODEL_CARD.md).
    stance_model: bool = True
    # A stance artifact directory (model.onnx, tokenizer.json, config.json) to run instead of
    # the bundled models/stance/artifact/: a retrained candidate, tried in the service and
    # the test suite before it is committed (models/stance/MODEL_CARD.md, "How to retrain").
    stance_dir: Optional[Path] = None
    # A sentence is a claim when its check-worthiness is at least this (and it reads as a
    # claim: not a headline, teaser, question or fragment). The default is the threshold
    # that maximises the check-worthy F1 in cross-validation, stored with the model (0.444;
    # models/checkworthiness/MODEL_CARD.md). None: that one.
    claim_threshold: Optional[float] = None
    # Compute threads per process for the encoder (ONNX Runtime) and FAISS (0: their
    # defaults, one per core). One per worker under gunicorn.
    threads: int = 0
    # Safety on a network (service/auth.py, service/limits.py, service/observability.py).
    # "auto": open to loopback clients while no API key exists, keys required once one
    # does; "off": open on any address while no key exists (keys still win once created).
    auth: str = "auto"
    # Requests per minute per key (per client address when open), by scope; overrides of
    # service.limits.DEFAULT_LIMITS from SAYSO_RATE_LIMITS="check=60/minute,ingest=off".
    rate_limits: dict = field(default_factory=dict)
    # Shared rate-limit counters for every worker and node; none: in memory, per process.
    redis_url: Optional[str] = None
    # Browser origins allowed to call the check routes (CORS); none: CORS off.
    cors_origins: tuple = ()
    # /metrics without a key (for a scraper on a private network).
    metrics_open: bool = False
    # Reverse proxies in front that set X-Forwarded-For / -Proto (0: none; clients connect directly).
    trusted_proxies: int = 0
    # Upgrade the store's schema at start (SAYSO_DB_AUTO_UPGRADE=0: refuse to start on an old one).
    auto_upgrade: bool = True
    extra: dict = field(default_factory=dict)

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def store_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'sayso.db').resolve()}"

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> "Settings":
        defaults = cls()
        return cls(
            data_dir=Path(env.get("SAYSO_DATA_DIR") or defaults.data_dir),
            database_url=env.get("SAYSO_DATABASE_URL") or None,
            max_text_chars=_int(env, "SAYSO_MAX_TEXT_CHARS", defaults.max_text_chars),
            max_claim_chars=_int(env, "SAYSO_MAX_CLAIM_CHARS", defaults.max_claim_chars),
            max_body_bytes=_int(env, "SAYSO_MAX_BODY_BYTES", defaults.max_body_bytes),
            min_similarity=_float(env, "SAYSO_MIN_SIMILARITY", defaults.min_similarity),
            index_save_seconds=_float(env, "SAYSO_INDEX_SAVE_SECONDS", defaults.index_save_seconds),
            index_poll_seconds=_float(env, "SAYSO_INDEX_POLL_SECONDS", defaults.index_poll_seconds),
            claim_threshold=_optional_float(env, "SAYSO_CLAIM_THRESHOLD"),
            threads=_int(env, "SAYSO_THREADS", defaults.threads),
            stance_model=_flag(env, "SAYSO_STANCE_MODEL", True),
            stance_dir=_stance_dir(env.get("SAYSO_STANCE_DIR")),
            auth=(env.get("SAYSO_AUTH") or defaults.auth).lower(),
            rate_limits=_pairs(env.get("SAYSO_RATE_LIMITS", "")),
            redis_url=env.get("SAYSO_REDIS_URL") or None,
            cors_origins=tuple(o for o in (env.get("SAYSO_CORS_ORIGINS") or "").replace(",", " ").split() if o),
            metrics_open=_flag(env, "SAYSO_METRICS_OPEN", False),
            trusted_proxies=_int(env, "SAYSO_TRUSTED_PROXIES", defaults.trusted_proxies),
            auto_upgrade=_flag(env, "SAYSO_DB_AUTO_UPGRADE", True),
        )


def limit_threads(threads: int) -> None:
    """Search with ``threads`` threads in FAISS (0: its default). Called once per process
    by the entry point (gunicorn: per worker, after the fork); the encoder is given its
    threads when it is loaded (``load_encoder(settings.threads)``)."""
    if not threads:
        return
    import faiss

    faiss.omp_set_num_threads(threads)
