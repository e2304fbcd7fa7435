"""The process-wide vector index of topic embeddings: cosine top-k with one matrix product.

Rows are unit length, so cosine similarity is a dot product: at 100k topics one query is a
100k x 512 float32 product (about 200 MB held, a few milliseconds). Before each query the index
reads the embedding rows stored since it last looked (ids above the highest it has seen), so
topics embedded by a worker show up in every web process without a restart. A re-embedded
topic overwrites its row in place. Hits are checked against the database by the caller
(`semantic._allowed`): a deleted topic's row is zeroed; a row replaced by one the index cannot
see marks it stale and the next query rebuilds it (on SQLite a rolled-back transaction can hand
out an id again).
"""

import threading

import numpy as np

from townsquare.community.models import TopicEmbedding
from townsquare.community.search.embeddings import MODEL_VERSION, from_bytes
from townsquare.triage.embeddings import EMBEDDING_DIM

LOAD_CHUNK = 5_000


class VectorIndex:
    def __init__(self):
        self._lock = threading.Lock()
        self._reset()

    def _reset(self) -> None:
        self.matrix = np.zeros((1024, EMBEDDING_DIM), dtype=np.float32)
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
                self.matrix[row] = 0.0

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
                    self._put(embedding_id, topic_id, from_bytes(data))
                self.seen_up_to = rows[-1][0]

    def _put(self, embedding_id: int, topic_id: int, vector: np.ndarray) -> None:
        row = self.row_of.get(topic_id)
        if row is None:
            if self.size == len(self.topic_ids):
                self._grow()
            row = self.size
            self.size += 1
            self.row_of[topic_id] = row
        self.matrix[row] = vector
        self.topic_ids[row] = topic_id
        self.embedding_ids[row] = embedding_id

    def _grow(self) -> None:
        capacity = len(self.topic_ids) * 2
        for name in ("matrix", "topic_ids", "embedding_ids"):
            old = getattr(self, name)
            new = np.zeros((capacity, *old.shape[1:]), dtype=old.dtype)
            new[: self.size] = old[: self.size]
            setattr(self, name, new)

    def nearest(self, vector: np.ndarray, k: int) -> list[tuple[int, int, float]]:
        """(topic id, embedding id, cosine similarity) of the k nearest rows, most similar first."""
        self.catch_up()
        size = self.size
        if size == 0 or k <= 0:
            return []
        matrix, topic_ids, embedding_ids = self.matrix, self.topic_ids, self.embedding_ids
        scores = matrix[:size] @ np.asarray(vector, dtype=np.float32)
        k = min(k, size)
        best = np.argpartition(-scores, k - 1)[:k]
        best = best[np.argsort(-scores[best], kind="stable")]
        return [(int(topic_ids[row]), int(embedding_ids[row]), float(scores[row])) for row in best]


_index = VectorIndex()


def vector_index() -> VectorIndex:
    return _index


def forget() -> None:
    _index.forget()
