"""Keep a process's vector index current with the store.

At start the index is loaded from the data directory (if it belongs to this store and
model) and brought up to date by replaying ``index_log``; otherwise it is rebuilt from
the stored embeddings. Before every search the log is replayed again, so an article
accepted by any process sharing the store is searchable at once, and a deleted one is
gone. The file on disk is only a cache: the store is the source of truth.
"""
from __future__ import annotations

import fcntl
import json
import logging
import os
import threading
import time
from pathlib import Path
from typing import Optional

import numpy as np

from .schema import ADD, REMOVE
from .store import CorpusStore
from .vectors import VectorIndex

log = logging.getLogger(__name__)

META_FILE = "sentences.json"  # names the index file that holds the state it describes
LOCK_FILE = "sentences.lock"


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
        self._saved_seq = 0
        self._saved_at = 0.0
        self._lock = threading.RLock()
        self._identity_cache: Optional[dict] = None
        self._stop = threading.Event()

    # -- start ----------------------------------------------------------------------
    def open(self) -> "LiveIndex":
        with self._lock:
            if not self._load():
                self._rebuild()
            self.catch_up()
        return self

    def _identity(self) -> dict:
        if self._identity_cache is None:
            self._identity_cache = {
                "store_id": self.store.store_id(),
                "model": self.model,
                "dimension": self.dimension,
            }
        return self._identity_cache

    def _load(self) -> bool:
        if self.directory is None:
            return False
        meta_path = self.directory / META_FILE
        if not meta_path.exists():
            return False
        try:
            meta = json.loads(meta_path.read_text())
            index_path = self.directory / meta["file"]
            identity = self._identity()
            if any(meta.get(key) != value for key, value in identity.items()):
                log.info("index file belongs to another store or model; rebuilding")
                return False
            if meta["seq"] > self.store.last_seq():
                return False
            self.vectors = VectorIndex.load(index_path, self.dimension)
            self.seq = self._saved_seq = int(meta["seq"])
            return True
        except Exception as error:  # a torn or foreign file: rebuild from the store
            log.warning("cannot load index file (%s); rebuilding", error)
            return False

    def _rebuild(self) -> None:
        vectors = VectorIndex(self.dimension)
        seq, batches = self.store.snapshot()
        for ids, matrix in batches:
            vectors.add(ids, matrix)
        self.vectors, self.seq = vectors, seq

    # -- follow the store -----------------------------------------------------------
    def catch_up(self) -> int:
        """Apply the store's changes since the last one seen; return how many."""
        with self._lock:
            changes = self.store.changes_since(self.seq)
            for change in changes:
                if change.op == ADD:
                    ids, matrix = self.store.embeddings(change.sentence_ids)
                    self.vectors.add(ids, matrix)
                elif change.op == REMOVE:
                    self.vectors.remove(change.sentence_ids)
                self.seq = change.seq
            return len(changes)

    def search(self, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        """[(sentence_id, similarity)] best first, after catching up with the store."""
        with self._lock:
            self.catch_up()
            if len(self.vectors) == 0:
                return []
            scores, ids = self.vectors.search(query.reshape(1, -1), k)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i != -1]

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
        """Write the index and its meta atomically; several processes may share the directory."""
        if self.directory is None:
            return
        with self._lock:
            if self.seq == self._saved_seq and (self.directory / META_FILE).exists():
                return
            self.directory.mkdir(parents=True, exist_ok=True)
            with open(self.directory / LOCK_FILE, "w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                meta_path = self.directory / META_FILE
                if meta_path.exists():
                    try:
                        on_disk = json.loads(meta_path.read_text())
                        if on_disk.get("store_id") == self._identity()["store_id"] and on_disk.get("seq", 0) >= self.seq:
                            self._saved_seq, self._saved_at = self.seq, time.monotonic()
                            return  # another process already saved a state as new as ours
                    except ValueError:
                        pass
                # The index goes to a new file named by its seq; then the meta file is
                # switched to it in one rename, so a crash leaves either the old or the
                # new pair, never a meta that disagrees with its index.
                name = f"sentences.{self.seq}.faiss"
                index_tmp = self.directory / (name + f".{os.getpid()}.tmp")
                self.vectors.save(index_tmp)
                os.replace(index_tmp, self.directory / name)
                meta = dict(self._identity(), seq=self.seq, file=name, kind=self.kind, count=len(self.vectors))
                meta_tmp = self.directory / (META_FILE + f".{os.getpid()}.tmp")
                meta_tmp.write_text(json.dumps(meta))
                os.replace(meta_tmp, meta_path)
                for old in self.directory.glob("sentences.*.faiss"):
                    if old.name != name:
                        old.unlink(missing_ok=True)
            self._saved_seq, self._saved_at = self.seq, time.monotonic()
