"""The process-wide vector index of topic embeddings: cosine top-k in two passes.

Rows are unit length, so cosine similarity is a dot product. A query against every row is
memory-bound: 100k x 512 float32 is 200 MB read per query (65 ms on the bench machine). So the
index keeps the full vectors as float16 (100 MB) and, from REDUCE_FROM rows on, a 128-dimension
projection onto the rows' principal directions (float32, 51 MB): the first pass ranks every row
on the projection, the second re-scores the best few hundred with their full vectors, so the
similarities returned are exact and the top results agree with a full scan (measured: the same
top 10 on the bench's 100,000 topics for the queries tried).

Before each query the index reads the embedding rows stored since it last looked (ids above the
highest it has seen), so topics embedded by a worker show up in every web process without a
restart. A re-embedded topic overwrites its row in place. Hits are checked against the database
by the caller (`semantic._allowed`): a deleted topic's row is zeroed; a row replaced by one the
index cannot see marks it stale and the next query rebuilds it (on SQLite a rolled-back
transaction can hand out an id again).
"""

import threading

import numpy as np

from townsquare.community.models import TopicEmbedding
from townsquare.community.search.embeddings import MODEL_VERSION, STORED_DTYPE
from townsquare.triage.embeddings import EMBEDDING_DIM

LOAD_CHUNK = 5_000
# Below this many rows a full scan is fast enough (and too few rows to fit a projection on).
REDUCE_FROM = 20_000
REDUCED_DIM = 128
FIT_SAMPLE = 20_000
# Rows re-scored exactly per query: at least this many, or RERANK_FACTOR times those wanted.
RERANK_MIN = 300
RERANK_FACTOR = 4


class VectorIndex:
    def __init__(self):
        self._lock = threading.Lock()
        self._reset()

    def _reset(self) -> None:
        self.full = np.zeros((1024, EMBEDDING_DIM), dtype=STORED_DTYPE)
        self.reduced: np.ndarray | None = None
        self.basis: np.ndarray | None = None  # EMBEDDING_DIM x REDUCED_DIM
        self.topic_ids = np.zeros(1024, dtype=np.int64)
        self.embedding_ids = np.zeros(1024, dtype=np.int64)
        self.row_of: dict[int, int] = {}
        self.size = 0
        self.seen_up_to = 0
        self.stale = False

    def forget(self) -> None:
        """Drop everything; the next query loads every embedding again."""
        with self._lock:
            self._reset()

    def mark_stale(self) -> None:
        self.stale = True

    def discard(self, topic_id: int) -> None:
        """A deleted topic's row matches nothing from now on (its slot is reused if it comes back)."""
        with self._lock:
            row = self.row_of.get(topic_id)
            if row is not None:
                self.full[row] = 0
                if self.reduced is not None:
                    self.reduced[row] = 0

    def catch_up(self) -> None:
        with self._lock:
            latest = TopicEmbedding.objects.order_by("-id").values_list("id", flat=True).first() or 0
            if self.stale or latest < self.seen_up_to:
                self._reset()
            while latest > self.seen_up_to:
                rows = list(
                    TopicEmbedding.objects.filter(id__gt=self.seen_up_to, model_version=MODEL_VERSION)
                    .order_by("id")
                    .values_list("id", "topic_id", "vector")[:LOAD_CHUNK]
                )
                if not rows:
                    self.seen_up_to = latest
                    break
                for embedding_id, topic_id, data in rows:
                    self._put(embedding_id, topic_id, np.frombuffer(bytes(data), dtype=STORED_DTYPE))
                self.seen_up_to = rows[-1][0]
            if self.basis is None and self.size >= REDUCE_FROM:
                self._fit_projection()

    def _put(self, embedding_id: int, topic_id: int, vector: np.ndarray) -> None:
        row = self.row_of.get(topic_id)
        if row is None:
            if self.size == len(self.topic_ids):
                self._grow()
            row = self.size
            self.size += 1
            self.row_of[topic_id] = row
        self.full[row] = vector
        if self.basis is not None:
            self.reduced[row] = vector.astype(np.float32) @ self.basis
        self.topic_ids[row] = topic_id
        self.embedding_ids[row] = embedding_id

    def _grow(self) -> None:
        capacity = len(self.topic_ids) * 2
        for name in ("full", "reduced", "topic_ids", "embedding_ids"):
            old = getattr(self, name)
            if old is None:
                continue
            new = np.zeros((capacity, *old.shape[1:]), dtype=old.dtype)
            new[: self.size] = old[: self.size]
            setattr(self, name, new)

    def _fit_projection(self) -> None:
        """The REDUCED_DIM directions that keep most of the rows' dot products (uncentred PCA on
        a sample), and every row projected onto them."""
        rng = np.random.default_rng(0)
        sample_rows = rng.choice(self.size, size=min(self.size, FIT_SAMPLE), replace=False)
        sample = self.full[sample_rows].astype(np.float32)
        _, vectors = np.linalg.eigh(sample.T @ sample)
        self.basis = np.ascontiguousarray(vectors[:, ::-1][:, :REDUCED_DIM], dtype=np.float32)
        self.reduced = np.zeros((len(self.topic_ids), REDUCED_DIM), dtype=np.float32)
        for start in range(0, self.size, LOAD_CHUNK):
            stop = min(start + LOAD_CHUNK, self.size)
            self.reduced[start:stop] = self.full[start:stop].astype(np.float32) @ self.basis

    def nearest(self, vector: np.ndarray, k: int) -> list[tuple[int, int, float]]:
        """(topic id, embedding id, cosine similarity) of the k nearest rows, most similar first."""
        self.catch_up()
        size = self.size
        if size == 0 or k <= 0:
            return []
        vector = np.asarray(vector, dtype=np.float32)
        full, reduced, basis = self.full, self.reduced, self.basis
        topic_ids, embedding_ids = self.topic_ids, self.embedding_ids
        if basis is None or reduced is None:
            candidates = np.arange(size)
        else:
            coarse = reduced[:size] @ (vector @ basis)
            wanted = min(size, max(RERANK_MIN, k * RERANK_FACTOR))
            candidates = np.argpartition(-coarse, wanted - 1)[:wanted]
        scores = full[candidates].astype(np.float32) @ vector
        k = min(k, len(candidates))
        best = np.argpartition(-scores, k - 1)[:k]
        best = best[np.argsort(-scores[best], kind="stable")]
        return [
            (int(topic_ids[candidates[i]]), int(embedding_ids[candidates[i]]), float(scores[i])) for i in best
        ]


_index = VectorIndex()


def vector_index() -> VectorIndex:
    return _index


def forget() -> None:
    _index.forget()
