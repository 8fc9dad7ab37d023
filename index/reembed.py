"""A store is searched only with the model that embedded it.

The store records its embedding model (``sayso_meta`` key ``embedding_model``). When a
process opens it with another encoder, ``ensure_embedding_model`` re-embeds every stored
claim sentence in batches, logging its progress, then records the new model; the vector
index then rebuilds on its own (its file names the model). Several processes opening
the store at once take turns under the store's lock: the first re-embeds, the others
find the work done. A re-embedding cut short resumes after the last batch it committed.

    sayso reembed            # the same, from the command line, before the service starts
"""
from __future__ import annotations

import logging
import time
from typing import Callable, Optional, Protocol

import numpy as np

from .store import CorpusStore

log = logging.getLogger(__name__)

# Stores written before the model was recorded were embedded by the torch model.
UNRECORDED_MODEL = "all-MiniLM-L6-v2"
BATCH = 256


class Encoder(Protocol):
    name: str

    def encode(self, texts: list[str]) -> np.ndarray: ...


def ensure_embedding_model(
    store: CorpusStore,
    encoder: Encoder,
    batch: int = BATCH,
    progress: Optional[Callable[[int, int], None]] = None,
) -> int:
    """Make every stored embedding ``encoder``'s; return how many sentences were re-embedded.

    ``progress(done, total)`` is called after each batch (besides the log)."""
    if store.embedding_model() == encoder.name:
        return 0
    with store.exclusive("reembed"):
        recorded = store.embedding_model()
        if recorded == encoder.name:  # another process did it while we waited
            return 0
        total = store.indexed_count()
        if recorded is None and total == 0:  # a new store: nothing to redo
            store.record_embedding_model(encoder.name)
            return 0
        recorded = recorded or UNRECORDED_MODEL
        after = store.reembedding_progress(encoder.name)
        done = store.indexed_count(through=after) if after else 0
        redone = 0
        log.warning("the store's %d claim sentences were embedded by %s, this encoder is %s: re-embedding%s",
                    total, recorded, encoder.name, f" from sentence {after + 1} on" if after else "")
        started = time.monotonic()
        while True:
            ids, texts = store.embedded_sentences(after, batch)
            if not ids:
                break
            store.replace_embeddings(ids, encoder.encode(texts), model=encoder.name)
            after, done, redone = ids[-1], done + len(ids), redone + len(ids)
            rate = redone / max(time.monotonic() - started, 1e-9)
            log.info("re-embedded %d/%d claim sentences (%.0f/s)", done, total, rate)
            if progress is not None:
                progress(done, total)
        store.record_embedding_model(encoder.name)
        log.warning("re-embedded %d claim sentences with %s in %.0f s", redone, encoder.name, time.monotonic() - started)
        return redone
