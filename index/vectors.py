"""A thin wrapper over one FAISS index of sentence embeddings, keyed by sentence id.

Vectors are normalised, so inner product is cosine similarity. ``kind`` names the
FAISS structure in use; "flat" is exact search.
"""
from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np

FLAT = "flat"


class VectorIndex:
    kind = FLAT

    def __init__(self, dimension: int, index=None):
        self.dimension = dimension
        self.index = index if index is not None else faiss.IndexIDMap2(faiss.IndexFlatIP(dimension))

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

    @classmethod
    def load(cls, path: Path, dimension: int) -> "VectorIndex":
        index = faiss.read_index(str(path))
        if index.d != dimension:
            raise ValueError(f"index at {path} has dimension {index.d}, expected {dimension}")
        return cls(dimension, index)
