"""Thin wrappers over the FAISS indexes of sentence embeddings, keyed by sentence id.

Vectors are normalised, so inner product is cosine similarity. The kind follows the
corpus size (``plan``):

- ``flat``: exact search, ``IndexIDMap2(IndexFlatIP)``; 4 x 384 = 1,536 bytes a vector.
  Used up to ``EXACT_UP_TO`` vectors, where one scan costs a few milliseconds.
- ``ivf``: ``IndexIVFScalarQuantizer`` with 8-bit codes (384 bytes + an 8-byte id a
  vector), ``nlist`` lists (a power of two near the square root of the corpus size),
  ``NPROBE`` of them searched per query. It must be trained on a sample of the corpus;
  ``LiveIndex`` retrains it in the background when the corpus outgrows its lists.

Both support ``remove_ids``, so a deleted article leaves the index at once (no tombstones).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import faiss
import numpy as np

# From how many queries at once exact search computes its scores with one matrix product
# (BLAS) instead of one scan per query. This faiss-cpu build's default is 128,000, so a
# draft's 40 claims took as long as 40 single searches: measured on 100k vectors, one
# thread, 40 queries took 271 ms scanning and 38 ms with the product, with the same hits
# (scores equal to 4e-7). The product's own default in FAISS's documentation is 20.
faiss.cvar.distance_compute_blas_threshold = 20

FLAT = "flat"
IVF = "ivf"

# Exact search up to this many vectors: 200k x 1,536 bytes = 307 MB, one scan ~15 ms on one core.
EXACT_UP_TO = 200_000
# Lists searched per query: at 1M (512 lists) 32 gave recall@10 0.947-0.954 against exact
# in two runs of benchmarks/perf.py; 64 is the margin (benchmarks/RESULTS.md, the first runs).
NPROBE = 64
# Vectors per list used to train the coarse quantizer (FAISS warns below 39).
TRAIN_PER_LIST = 64


@dataclass(frozen=True)
class Plan:
    """The kind of index a corpus of a given size should have."""

    kind: str
    nlist: int = 0


def plan(count: int, current: Optional[Plan] = None) -> Plan:
    """The index for ``count`` vectors. The lists of an IVF index only ever double (when
    the corpus passes 512^2, 1024^2, 2048^2... vectors: each fourfold growth), and it
    goes back to exact only below half the threshold, so a corpus that hovers near a
    boundary does not flip back and forth."""
    if current is not None and current.kind == IVF:
        if count < EXACT_UP_TO // 2:
            return Plan(FLAT)
        wanted = lists_for(count)
        return current if wanted < 2 * current.nlist else Plan(IVF, wanted)
    if count <= EXACT_UP_TO:
        return Plan(FLAT)
    return Plan(IVF, lists_for(count))


def lists_for(count: int) -> int:
    """A power of two at or below sqrt(count): ~1,000-2,000 vectors a list."""
    return 2 ** max(4, int(math.log2(math.sqrt(max(count, 1)))))


class VectorIndex:
    def __init__(self, dimension: int, index=None):
        self.dimension = dimension
        self.index = index if index is not None else faiss.IndexIDMap2(faiss.IndexFlatIP(dimension))
        if isinstance(self.index, faiss.IndexIVF):
            self.index.nprobe = min(NPROBE, self.index.nlist)

    @classmethod
    def trained(cls, dimension: int, nlist: int, sample: np.ndarray) -> "VectorIndex":
        """An empty IVF index whose lists and 8-bit ranges are fitted to ``sample``."""
        quantizer = faiss.IndexFlatIP(dimension)
        index = faiss.IndexIVFScalarQuantizer(
            quantizer, dimension, nlist, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT
        )
        index.cp.niter = 10  # k-means iterations: enough for search lists, and 2.5x faster than the default
        index.train(np.ascontiguousarray(sample, "float32"))
        return cls(dimension, index)

    @property
    def kind(self) -> str:
        return IVF if isinstance(self.index, faiss.IndexIVF) else FLAT

    @property
    def plan(self) -> Plan:
        return Plan(IVF, self.index.nlist) if self.kind == IVF else Plan(FLAT)

    def __len__(self) -> int:
        return self.index.ntotal

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        if len(ids):
            self.index.add_with_ids(np.ascontiguousarray(vectors, "float32"), np.asarray(ids, "int64"))

    def remove(self, ids) -> int:
        if not len(ids):
            return 0
        return self.index.remove_ids(np.asarray(ids, "int64"))

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(similarities, ids), each of shape (len(queries), k); missing hits have id -1."""
        k = max(1, min(k, len(self))) if len(self) else 1
        return self.index.search(np.ascontiguousarray(queries, "float32"), k)

    def save(self, path: Path) -> None:
        faiss.write_index(self.index, str(path))

    def serialized(self) -> np.ndarray:
        """The index as ``save`` writes it, as bytes (a uint8 array)."""
        return faiss.serialize_index(self.index)

    @classmethod
    def load(cls, path: Path, dimension: int) -> "VectorIndex":
        index = faiss.read_index(str(path))
        if index.d != dimension:
            raise ValueError(f"index at {path} has dimension {index.d}, expected {dimension}")
        return cls(dimension, index)
