"""Topics that arrived without an embedding (a bulk import, a task lost with its worker) are
embedded by the periodic checks, so they become findable by meaning without anyone's command."""

import pytest

from townsquare.community.models import Topic, TopicEmbedding
from townsquare.community.search import similar_topics
from townsquare.community.search.tasks import enqueue_missing_embeddings
from townsquare.ops.periodic import JOBS, embed_missing_topics

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def tasks_run_when_enqueued(settings):
    settings.TASKS = {
        "default": {
            "BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "semantic"],
        }
    }


def test_the_periodic_check_embeds_imported_topics(devices_space):
    imported = Topic.objects.create(space=devices_space, title="My headphones will not pair", body="…")
    assert embed_missing_topics in JOBS
    assert embed_missing_topics(force=True) is True
    assert TopicEmbedding.objects.filter(topic=imported).exists()
    assert [s.topic for s in similar_topics("Mis auriculares no se emparejan")] == [imported]
    assert embed_missing_topics() is False  # once an hour


def test_only_missing_ones_and_at_most_a_run_s_worth(devices_space):
    Topic.objects.bulk_create(Topic(space=devices_space, title=f"Question {n}", body="…") for n in range(5))
    assert enqueue_missing_embeddings(limit=3) == 3
    assert enqueue_missing_embeddings() == 2
    assert enqueue_missing_embeddings() == 0
