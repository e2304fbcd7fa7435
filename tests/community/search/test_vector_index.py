"""The in-process vector index: a big community is searched in two passes (a 128-dimension
projection, then the full vectors), and its answers are the same as a full scan's."""

import numpy as np
import pytest

from townsquare.community.models import Topic, TopicEmbedding
from townsquare.community.search import vectors
from townsquare.community.search.embeddings import MODEL_VERSION, to_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def random_topics(devices_space):
    rng = np.random.default_rng(7)
    # Clustered like real questions: a few hundred themes, each asked in small variations.
    themes = rng.normal(size=(200, 512)).astype(np.float32)
    rows = themes[rng.integers(0, 200, size=1200)] + 0.4 * rng.normal(size=(1200, 512)).astype(np.float32)
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    topics = Topic.objects.bulk_create(
        Topic(space=devices_space, title=f"Question {n}", body="…") for n in range(len(rows))
    )
    if topics[0].pk is None:
        topics = list(Topic.objects.order_by("pk"))
    TopicEmbedding.objects.bulk_create(
        TopicEmbedding(topic=topic, vector=to_bytes(row), model_version=MODEL_VERSION)
        for topic, row in zip(topics, rows, strict=True)
    )
    return [topic.pk for topic in topics], rows.astype(np.float16).astype(np.float32), themes


def test_two_passes_find_what_a_full_scan_finds(random_topics, monkeypatch):
    topic_ids, rows, themes = random_topics
    monkeypatch.setattr(vectors, "REDUCE_FROM", 1000)
    monkeypatch.setattr(vectors, "RERANK_MIN", 100)
    index = vectors.VectorIndex()
    index.catch_up()
    assert index.basis is not None and index.basis.shape == (512, vectors.REDUCED_DIM)
    for theme in themes[:20]:
        query = theme / np.linalg.norm(theme)
        exact = [topic_ids[row] for row in np.argsort(-(rows @ query))[:10]]
        found = index.nearest(query, 10)
        assert [topic_id for topic_id, _, _ in found] == exact
        assert found[0][2] == pytest.approx(float(rows[topic_ids.index(found[0][0])] @ query), abs=1e-5)


def test_new_embeddings_are_read_before_the_next_query(random_topics, devices_space, monkeypatch):
    monkeypatch.setattr(vectors, "REDUCE_FROM", 1000)
    index = vectors.VectorIndex()
    index.catch_up()
    newcomer = Topic.objects.create(space=devices_space, title="A new question", body="…")
    direction = np.zeros(512, dtype=np.float32)
    direction[3] = 1.0
    TopicEmbedding.objects.create(topic=newcomer, vector=to_bytes(direction), model_version=MODEL_VERSION)
    assert index.nearest(direction, 1)[0][0] == newcomer.pk
    index.discard(newcomer.pk)
    assert index.nearest(direction, 1)[0][0] != newcomer.pk
