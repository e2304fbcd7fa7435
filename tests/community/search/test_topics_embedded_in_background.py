"""A question asked (or retitled) is embedded by a background task once it is committed, so it
turns up in semantic search and similar questions without anyone running a command."""

import pytest

from townsquare.community.models import TopicEmbedding
from townsquare.community.posting import edit_topic
from townsquare.community.search import similar_topics

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def tasks_run_when_enqueued(settings):
    # Django's ImmediateBackend runs a task as it is enqueued, i.e. when the ask commits. Triage
    # of the care conversation a question may become has its own tests (tests/community/bridge).
    settings.TASKS = {
        "default": {
            "BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "semantic"],
        }
    }
    settings.TRIAGE_ON_INGEST = False


def test_a_new_question_is_embedded_after_commit(ask, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        topic = ask("My headphones will not pair with my phone", "They blink red.")
        assert not TopicEmbedding.objects.exists()  # not before the question is committed
    assert TopicEmbedding.objects.filter(topic=topic).count() == 1
    assert [s.topic for s in similar_topics("Mis auriculares no se emparejan con el teléfono")] == [topic]


def test_a_new_title_is_embedded_again_but_a_tag_change_is_not(
    ask, members, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        topic = ask("My headphones will not pair with my phone", "They blink red.")
    first = TopicEmbedding.objects.get(topic=topic).pk
    with django_capture_on_commit_callbacks(execute=True):
        edit_topic(members["bob"], topic, tags=["bluetooth"])
    assert TopicEmbedding.objects.get(topic=topic).pk == first
    with django_capture_on_commit_callbacks(execute=True):
        edit_topic(members["bob"], topic, title="Battery drains overnight")
    assert TopicEmbedding.objects.get(topic=topic).pk != first
    assert [s.topic for s in similar_topics("La batería se agota durante la noche")] == [topic]
    assert similar_topics("Mis auriculares no se emparejan con el teléfono") == []


def test_nothing_is_enqueued_when_the_question_is_rolled_back(ask, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            ask("My headphones will not pair with my phone", "They blink red.")
            raise RuntimeError("the request failed after asking")
    assert callbacks == []
