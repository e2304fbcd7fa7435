"""The real path end to end: a committed event enqueues the send, a worker task delivers it, and a
rolled-back change sends nothing. (ImmediateBackend runs the task as soon as it is enqueued.)"""

import pytest
from django.db import transaction

from tests.hooks.builders import ingest_conversation
from townsquare.events.log import record
from townsquare.hooks.models import Delivery, DeliveryStatus

pytestmark = pytest.mark.django_db(transaction=True)

IMMEDIATE = {
    "default": {
        "BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "triage", "semantic", "webhooks"],
    }
}


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = IMMEDIATE
    settings.TRIAGE_ON_INGEST = False


def test_a_committed_event_is_sent_by_the_task(immediate_tasks, endpoint, receiver, twitter):
    ingest_conversation(twitter)  # commits: conversation.created goes out right away

    assert [r.headers["X-Townsquare-Event"] for r in receiver.requests] == ["conversation.created"]
    assert Delivery.objects.get().status == DeliveryStatus.SUCCEEDED


def test_a_rolled_back_change_sends_nothing(immediate_tasks, endpoint, receiver, twitter):
    conversation = ingest_conversation(twitter)
    receiver.requests.clear()

    with pytest.raises(RuntimeError), transaction.atomic():
        record("sla.breached", conversation_id=conversation.pk, data={"metric": "resolution", "due_at": None})
        raise RuntimeError("the change failed")

    assert receiver.requests == []
    assert not Delivery.objects.filter(kind="sla.breached").exists()
