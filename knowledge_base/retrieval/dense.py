"""The FAISS index of sentence embeddings: inner product on unit vectors, i.e. cosine similarity.

Small collections (the city's FAQ: a few thousand texts) use an exact flat index. Past `flat_max_vectors`
texts an HNSW graph keeps a query well under a millisecond (benchmarks/faq_speed.py measures both); its
vectors are stored as 8-bit scalars (4x less memory, cosine error around 0.001 on these embeddings).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

FLAT = "flat"
HNSW = "hnsw"
HNSW_SQ8 = "hnsw_sq8"
KINDS = (FLAT, HNSW, HNSW_SQ8)


@dataclass(frozen=True)
class DenseSettings:
    flat_max_vectors: int = 20_000
    large_kind: str = HNSW_SQ8
    hnsw_m: int = 32
    hnsw_ef_construction: int = 80
    hnsw_ef_search: int = 128

    def kind_for(self, count: int) -> str:
        return FLAT if count <= self.flat_max_vectors else self.large_kind


class DenseIndex:
    def __init__(self, index: faiss.Index, kind: str, settings: DenseSettings) -> None:
        self.index = index
        self.kind = kind
        if kind != FLAT:
            faiss.downcast_index(index).hnsw.efSearch = settings.hnsw_ef_search

    @property
    def size(self) -> int:
        return int(self.index.ntotal)

    @classmethod
    def build(cls, vectors: np.ndarray, settings: DenseSettings, kind: str | None = None) -> DenseIndex:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        dimension = vectors.shape[1]
        kind = kind or settings.kind_for(len(vectors))
        if kind == FLAT:
            index: faiss.Index = faiss.IndexFlatIP(dimension)
        elif kind == HNSW:
            index = faiss.IndexHNSWFlat(dimension, settings.hnsw_m, faiss.METRIC_INNER_PRODUCT)
        elif kind == HNSW_SQ8:
            index = faiss.IndexHNSWSQ(
                dimension, faiss.ScalarQuantizer.QT_8bit, settings.hnsw_m, faiss.METRIC_INNER_PRODUCT
            )
        else:
            raise ValueError(f"unknown dense index kind {kind!r} (one of {', '.join(KINDS)})")
        if kind != FLAT:
            faiss.downcast_index(index).hnsw.efConstruction = settings.hnsw_ef_construction
        if not index.is_trained:
            index.train(vectors)
        if len(vectors):
            index.add(vectors)
        return cls(index, kind, settings)

    def search(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(scores, rows) of the k nearest texts, best first; rows of -1 mean fewer than k were found."""
        k = min(k, self.size)
        if k <= 0:
            return np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int64)
        # One query is one thread's work: measured here, OpenMP's team of two made a flat search 15x slower
        # (0.9 ms -> 16 ms at 10,000 vectors). The setting is per thread, so index builds keep every core.
        faiss.omp_set_num_threads(1)
        scores, rows = self.index.search(np.ascontiguousarray(query, dtype=np.float32).reshape(1, -1), k)
        keep = rows[0] >= 0
        return scores[0][keep], rows[0][keep]

    def scores_of(self, query: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Similarity of the query with the given texts (from the stored vectors: exact for flat)."""
        if len(rows) == 0:
            return np.zeros(0, dtype=np.float32)
        vectors = self.index.reconstruct_batch(np.asarray(rows, dtype=np.int64))
        return (vectors @ np.asarray(query, dtype=np.float32).ravel()).astype(np.float32)

    def save(self, directory: Path) -> None:
        faiss.write_index(self.index, str(directory / "dense.faiss"))

    @classmethod
    def load(cls, directory: Path, kind: str, settings: DenseSettings) -> DenseIndex:
        return cls(faiss.read_index(str(directory / "dense.faiss")), kind, settings)
