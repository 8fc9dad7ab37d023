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
    # similarity alone) to 0.597 and costs ~22 ms per check (models/stance/MODEL_CARD.md).
    stance_model: bool = True
    # Compute threads per process for the encoder (ONNX Runtime) and FAISS (0: their
    # defaults, one per core). One per worker under gunicorn.
    threads: int = 0
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
            threads=_int(env, "SAYSO_THREADS", defaults.threads),
            stance_model=env.get("SAYSO_STANCE_MODEL", "1").lower() not in ("0", "false", "no", "off"),
        )


def limit_threads(threads: int) -> None:
    """Search with ``threads`` threads in FAISS (0: its default). Called once per process
    by the entry point (gunicorn: per worker, after the fork); the encoder is given its
    threads when it is loaded (``load_encoder(settings.threads)``)."""
    if not threads:
        return
    import faiss

    faiss.omp_set_num_threads(threads)
