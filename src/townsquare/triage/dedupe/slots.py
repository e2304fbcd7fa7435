"""Fixed-capacity, oldest-first storage of fingerprints as numpy rows, for vectorised lookups.

Slot i holds one item; a new item takes slot (items ever stored) % capacity, so when full the
oldest item is the one overwritten. Arrays grow by doubling up to the capacity, so a small index
stays small. Band hashes are the LSH buckets: an item is a near-duplicate candidate when any band
of its MinHash equals the same band of the query (a vectorised scan, with no Python dict per band).
"""

import numpy as np

from townsquare.triage.dedupe.minhash import EMPTY, PERMUTATIONS

# 32 bands of 2 rows: a pair at the near threshold (Jaccard 0.4) is a candidate with
# p = 1 - (1 - 0.4**2)**32 = 0.996; unrelated texts (Jaccard < 0.05) with p < 0.08, and those few
# candidates cost one vectorised comparison each.
BANDS = 32
_ROWS = 2
_BAND_MIX = np.array([0x9E3779B1, 0x85EBCA77], dtype=np.uint64)


def band_hashes(signatures: np.ndarray) -> np.ndarray:
    """(n, BANDS) uint32: one hash per band of rows of each (n, PERMUTATIONS) signature."""
    rows = signatures[:, : BANDS * _ROWS].reshape(len(signatures), BANDS, _ROWS).astype(np.uint64)
    return ((rows * _BAND_MIX).sum(axis=2) >> np.uint64(16)).astype(np.uint32)


class SlotStore:
    """Rows of signatures, band hashes and embeddings; `live` marks slots holding an item."""

    def __init__(self, capacity: int):
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.capacity = capacity
        self.stored = 0  # items ever stored: the next slot is stored % capacity
        self.signatures = np.zeros((0, PERMUTATIONS), dtype=np.uint32)
        self.bands = np.zeros((BANDS, 0), dtype=np.uint32)  # band-major: one contiguous row per band
        self.textual = np.zeros(0, dtype=bool)  # has shingles: takes part in near/semantic matching
        self.live = np.zeros(0, dtype=bool)
        self.embeddings: np.ndarray | None = None
        self.has_embedding = np.zeros(0, dtype=bool)
        self.languages = np.zeros(0, dtype=np.int16)  # ids from the index; 0 = unknown

    @property
    def allocated(self) -> int:
        return len(self.live)

    def next_slot(self) -> int:
        return self.stored % self.capacity

    def put(self, signature: np.ndarray, embedding: np.ndarray | None, language: int) -> int:
        """Store one item in the next slot (the caller has forgotten its previous occupant)."""
        slot = self.next_slot()
        if slot >= self.allocated:
            self._grow(slot + 1)
        self.signatures[slot] = signature
        self.bands[:, slot] = band_hashes(signature[None, :])[0]
        self.textual[slot] = not bool((signature == EMPTY).all())
        self.live[slot] = True
        self.has_embedding[slot] = embedding is not None
        self.languages[slot] = language
        if embedding is not None:
            if self.embeddings is None:
                self.embeddings = np.zeros((self.allocated, len(embedding)), dtype=np.float32)
            elif self.embeddings.shape[1] != len(embedding):
                raise ValueError(
                    f"embedding of dimension {len(embedding)}, index has {self.embeddings.shape[1]}"
                )
            self.embeddings[slot] = embedding
        self.stored += 1
        return slot

    def near_candidates(self, signature: np.ndarray) -> np.ndarray:
        """Slots sharing at least one LSH band with `signature`."""
        query = band_hashes(signature[None, :])[0]
        hits = self.bands[0] == query[0]
        for band in range(1, BANDS):  # contiguous rows: much faster than .any(axis=1) on (n, BANDS)
            hits |= self.bands[band] == query[band]
        return np.flatnonzero(hits & self.live & self.textual)

    def semantic_matrix(self, queries: np.ndarray) -> np.ndarray:
        """Cosine of each query embedding to each slot; -inf where a slot cannot match semantically."""
        if self.embeddings is None or not len(queries):
            return np.full((len(queries), self.allocated), -np.inf, dtype=np.float32)
        # One product over every row (contiguous, BLAS) beats gathering the usable rows first.
        similarities = queries @ self.embeddings.T
        similarities[:, ~(self.live & self.has_embedding & self.textual)] = -np.inf
        return similarities

    def nbytes(self) -> int:
        arrays = [self.signatures, self.bands, self.textual, self.live, self.has_embedding, self.languages]
        if self.embeddings is not None:
            arrays.append(self.embeddings)
        return sum(array.nbytes for array in arrays)

    def _grow(self, needed: int) -> None:
        size = min(self.capacity, max(needed, 2 * self.allocated, 64))
        extra = size - self.allocated
        self.signatures = np.vstack([self.signatures, np.zeros((extra, PERMUTATIONS), dtype=np.uint32)])
        self.bands = np.hstack([self.bands, np.zeros((BANDS, extra), dtype=np.uint32)])
        self.textual = np.concatenate([self.textual, np.zeros(extra, dtype=bool)])
        self.live = np.concatenate([self.live, np.zeros(extra, dtype=bool)])
        self.has_embedding = np.concatenate([self.has_embedding, np.zeros(extra, dtype=bool)])
        self.languages = np.concatenate([self.languages, np.zeros(extra, dtype=np.int16)])
        if self.embeddings is not None:
            self.embeddings = np.vstack(
                [self.embeddings, np.zeros((extra, self.embeddings.shape[1]), np.float32)]
            )
