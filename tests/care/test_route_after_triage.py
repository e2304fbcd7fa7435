"""Fast triage labels land, then routing runs as a background task; `route_pending` catches up."""

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from tests.care.routing_helpers import conv, on_duty, owner, queue
from tests.inbox.helpers import msg
from townsquare.care.tasks import route_task
from townsquare.inbox.ingest.store import store_messages
from townsquare.inbox.models import Conversation
from townsquare.labels.fast import label_fast

pytestmark = pytest.mark.django_db


def routing_tasks():
    return list(DBTaskResult.objects.filter(task_path=route_task.module_path))


def test_labels_landing_enqueue_routing_of_their_conversations(
    twitter, bruno, settings, django_capture_on_commit_callbacks
):
    settings.TRIAGE_ON_INGEST = False
    spanish = queue("Spanish", rules={"language": ["es"]})
    on_duty(bruno, queues=[spanish])
    store_messages(
        twitter,
        [msg("d1", text="Hola, mi pedido llegó roto y nadie me responde. ¿Me ayudan?")],
        source="test",
    )
    dana = Conversation.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        label_fast(list(dana.messages.values_list("pk", flat=True)))
    [task] = routing_tasks()
    assert (task.queue_name, task.args_kwargs["args"]) == ("triage", [[dana.pk]])
    route_task.call([dana.pk])  # what the worker runs
    dana.refresh_from_db()
    assert dana.language == "es" and dana.queue == spanish and dana.assignee == bruno


def test_without_queues_the_task_still_applies_the_automatic_escalation_rules(
    twitter, settings, django_capture_on_commit_callbacks
):
    settings.TRIAGE_ON_INGEST = False
    store_messages(
        twitter, [msg("d1", text="This is useless. I want to speak to your manager.")], source="test"
    )
    dana = Conversation.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        label_fast(list(dana.messages.values_list("pk", flat=True)))
    [task] = routing_tasks()
    assert route_task.call([dana.pk]) == {"queued": 0, "assigned": 0, "escalated": 1}
    dana.refresh_from_db()
    assert dana.escalation_level == "supervisor"


def test_route_pending_queues_and_assigns_what_was_missed(twitter, alice, capsys):
    unqueued, waiting = conv(twitter), conv(twitter)
    general = queue("General")
    waiting.queue = general
    waiting.save()
    on_duty(alice, queues=[general])
    call_command("route_pending")
    assert "queued 1 conversations, assigned 2" in capsys.readouterr().out
    assert owner(unqueued) == alice and owner(waiting) == alice
