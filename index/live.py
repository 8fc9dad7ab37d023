"""Keep a process's vector index current with the store.

At start the index is loaded from the data directory (if it belongs to this store and
model) and brought up to date by replaying ``index_log``; otherwise it is rebuilt from
the stored embeddings. Before every search the log is replayed again, so an article
accepted by any process sharing the store is searchable at once, and a deleted one is
gone. The file on disk is only a cache: the store is the source of truth.

The index kind follows the corpus size (``vectors.plan``): exact while small, an IVF
index above that. When the corpus outgrows its index, the background thread builds the
new one from a snapshot of the store while checks go on searching the old one, replays
the log since the snapshot, and swaps. Processes sharing a data directory take turns
(a file lock): the first builds and saves, the others load what it saved.
"""
from __future__ import annotations

import fcntl
import json
import logging
import os
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

import numpy as np

from .tables import ADD, REMOVE
from .store import CorpusStore
from .vectors import TRAIN_PER_LIST, IVF, Plan, VectorIndex, plan

log = logging.getLogger(__name__)

META_FILE = "sentences.json"  # names the index file that holds the state it describes
LOCK_FILE = "sentences.lock"
BUILD_LOCK_FILE = "build.lock"  # held while a process builds an index for the directory


class LiveIndex:
    def __init__(
        self,
        store: CorpusStore,
        dimension: int,
        model: str,
        directory: Optional[Path] = None,
        save_interval: float = 30.0,
    ):
        self.store = store
        self.dimension = dimension
        self.model = model
        self.directory = Path(directory) if directory else None
        self.save_interval = save_interval
        self.vectors = VectorIndex(dimension)
        self.seq = 0
        self._saved: Optional[tuple[int, Plan]] = None  # (seq, plan) last known to be on disk
        self._saved_at = 0.0
        self._lock = threading.RLock()
        self._identity_cache: Optional[dict] = None
        self._stop = threading.Event()

    # -- start ---------------------------------------------------------------------
    def open(self) -> "LiveIndex":
        """Load the index file if it can be trusted, else build from the store; catch up."""
        with self._lock, self._building():
            found = self._read_file()
            if found is not None:
                self._install(*found, from_file=True)
            else:
                self._install(*self._build(plan(self.store.indexed_count())))
                self.save()
        return self

    def _identity(self) -> dict:
        if self._identity_cache is None:
            self._identity_cache = {
                "store_id": self.store.store_id(),
                "model": self.model,
                "dimension": self.dimension,
            }
        return self._identity_cache

    def _read_file(self, wanted: Optional[Plan] = None) -> Optional[tuple[VectorIndex, int]]:
        """(index, seq) from the data directory, if it belongs to this store and model
        (and is of the ``wanted`` plan, when given); None otherwise."""
        if self.directory is None:
            return None
        meta_path = self.directory / META_FILE
        if not meta_path.exists():
            return None
        try:
            meta = json.loads(meta_path.read_text())
            identity = self._identity()
            if any(meta.get(key) != value for key, value in identity.items()):
                log.info("index file belongs to another store or model; rebuilding")
                return None
            if meta["seq"] > self.store.last_seq():
                return None
            if wanted is not None and Plan(meta.get("kind"), meta.get("nlist", 0)) != wanted:
                return None
            vectors = VectorIndex.load(self.directory / meta["file"], self.dimension)
            return vectors, int(meta["seq"])
        except Exception as error:  # a torn or foreign file: rebuild from the store
            log.warning("cannot load index file (%s); rebuilding", error)
            return None

    def _build(self, wanted: Plan) -> tuple[VectorIndex, int]:
        """A new index of the ``wanted`` plan with every stored vector as of the returned seq.
        Takes no lock: checks go on meanwhile."""
        started = time.monotonic()
        if wanted.kind == IVF:
            sample = self.store.embedding_sample(wanted.nlist * TRAIN_PER_LIST)
            vectors = VectorIndex.trained(self.dimension, wanted.nlist, sample)
        else:
            vectors = VectorIndex(self.dimension)
        seq, batches = self.store.snapshot()
        for ids, matrix in batches:
            vectors.add(ids, matrix)
        log.info("built %s index of %d vectors in %.1f s", vectors.kind, len(vectors), time.monotonic() - started)
        return vectors, seq

    def _install(self, vectors: VectorIndex, seq: int, from_file: bool = False) -> None:
        """Bring ``vectors`` (as of ``seq``) up to date with the log and make it the index."""
        with self._lock:
            self.seq, _ = self._apply(vectors, seq)
            self.vectors = vectors
            if from_file:
                self._saved = (seq, vectors.plan)

    def rebuild_if_outgrown(self) -> bool:
        """Build the index the corpus size calls for, if it differs from the current one,
        off the request path; return whether it did."""
        wanted = plan(len(self.vectors), self.vectors.plan)
        if wanted == self.vectors.plan:
            return False
        with self._building():
            found = self._read_file(wanted)  # another process may have just built it
            if found is not None:
                self._install(*found, from_file=True)
            else:
                self._install(*self._build(wanted))
                self.save()
        return True

    @contextmanager
    def _building(self) -> Iterator[None]:
        """Held while building or loading an index, across the processes of a directory."""
        if self.directory is None:
            yield
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        with open(self.directory / BUILD_LOCK_FILE, "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield

    # -- follow the store -----------------------------------------------------------
    def catch_up(self) -> int:
        """Apply the store's changes since the last one seen; return how many."""
        with self._lock:
            self.seq, applied = self._apply(self.vectors, self.seq)
            return applied

    def _apply(self, vectors: VectorIndex, seq: int) -> tuple[int, int]:
        """Replay the log after ``seq`` onto ``vectors``; return (last seq, changes applied)."""
        changes = self.store.changes_since(seq)
        for change in changes:
            if change.op == ADD:
                ids, matrix = self.store.embeddings(change.sentence_ids)
                vectors.add(ids, matrix)
            elif change.op == REMOVE:
                vectors.remove(change.sentence_ids)
            seq = change.seq
        return seq, len(changes)

    def search(self, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        """[(sentence_id, similarity)] best first, after catching up with the store."""
        with self._lock:
            self.catch_up()
            if len(self.vectors) == 0:
                return []
            scores, ids = self.vectors.search(query.reshape(1, -1), k)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i != -1]

    def search_many(self, queries: np.ndarray, k: int) -> list[list[tuple[int, float]]]:
        """``search`` for each row of ``queries``, in one pass over the index."""
        with self._lock:
            self.catch_up()
            if len(self.vectors) == 0 or len(queries) == 0:
                return [[] for _ in range(len(queries))]
            scores, ids = self.vectors.search(np.ascontiguousarray(queries, dtype=np.float32), k)
        return [[(int(i), float(s)) for i, s in zip(row_ids, row_scores) if i != -1]
                for row_ids, row_scores in zip(ids, scores)]

    def __len__(self) -> int:
        return len(self.vectors)

    @property
    def kind(self) -> str:
        return self.vectors.kind

    # -- background upkeep -----------------------------------------------------------
    def start_background(self, poll_interval: float = 1.0) -> threading.Thread:
        """Follow the store every ``poll_interval`` seconds and save every ``save_interval``,
        off the request path. A check also catches up before it searches."""

        def run():
            while not self._stop.wait(poll_interval):
                try:
                    self.catch_up()
                    self.rebuild_if_outgrown()
                    if time.monotonic() - self._saved_at >= self.save_interval:
                        self.save()
                except Exception:  # the store may be briefly unreachable; try again
                    log.exception("index upkeep failed")

        thread = threading.Thread(target=run, name="sayso-index-upkeep", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self._stop.set()

    # -- persistence ----------------------------------------------------------------
    def save(self) -> None:
        """Write the index and its meta atomically; several processes may share the directory.

        Checks wait only while the index is copied to bytes, not while it is written."""
        if self.directory is None:
            return
        with self._lock:
            seq, current = self.seq, self.vectors.plan
            if (seq, current) == self._saved and (self.directory / META_FILE).exists():
                return
            data, count = self.vectors.serialized(), len(self.vectors)
        self.directory.mkdir(parents=True, exist_ok=True)
        with open(self.directory / LOCK_FILE, "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            meta_path = self.directory / META_FILE
            if meta_path.exists():
                try:
                    on_disk = json.loads(meta_path.read_text())
                    if (on_disk.get("store_id") == self._identity()["store_id"] and on_disk.get("seq", 0) >= seq
                            and Plan(on_disk.get("kind"), on_disk.get("nlist", 0)) == current):
                        self._saved, self._saved_at = (seq, current), time.monotonic()
                        return  # another process already saved a state as new as ours
                except ValueError:
                    pass
            # The index goes to a new file named by its seq; then the meta file is
            # switched to it in one rename, so a crash leaves either the old or the
            # new pair, never a meta that disagrees with its index.
            name = f"sentences.{seq}.{current.kind}{current.nlist or ''}.faiss"
            index_tmp = self.directory / (name + f".{os.getpid()}.tmp")
            index_tmp.write_bytes(memoryview(data))
            os.replace(index_tmp, self.directory / name)
            meta = dict(self._identity(), seq=seq, file=name, kind=current.kind, nlist=current.nlist, count=count)
            meta_tmp = self.directory / (META_FILE + f".{os.getpid()}.tmp")
            meta_tmp.write_text(json.dumps(meta))
            os.replace(meta_tmp, meta_path)
            for old in self.directory.glob("sentences.*.faiss"):
                if old.name != name:
                    old.unlink(missing_ok=True)
        self._saved, self._saved_at = (seq, current), time.monotonic()
