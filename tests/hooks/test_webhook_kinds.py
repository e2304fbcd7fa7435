"""Each of the five webhook kinds comes from the event that reports it, to the endpoints that
subscribed to it; inactive endpoints and other kinds get nothing."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.hooks.builders import inbound, ingest_conversation
from tests.hooks.conftest import make_endpoint
from townsquare.events.log import record
from townsquare.hooks.delivering import send_due
from townsquare.hooks.models import Delivery, Endpoint
from townsquare.inbox.ingest.store import store_messages
from townsquare.inbox.models import Conversation
from townsquare.replies.status import change_status


def received(receiver) -> list[dict]:
    send_due(now=timezone.now())
    return [json.loads(r.body) for r in receiver.requests]


def test_ingest_sends_conversation_created(endpoint, receiver, twitter):
    store_messages(twitter, [inbound("a"), inbound("b"), inbound("c", parent="a")], source="test")

    bodies = received(receiver)

    conversations = sorted(Conversation.objects.values_list("pk", flat=True))
    assert [b["event"] for b in bodies] == ["conversation.created"] * 2
    assert [b["conversation"]["id"] for b in bodies] == conversations  # in the order they were made
    assert bodies[0]["conversation"] == {
        "id": conversations[0],
        "status": "new",
        "channel": {"id": twitter.pk, "name": "twitter", "kind": "import"},
        "queue": None,
        "assignee": None,
        "priority": "",
        "language": "",
        "kind": "",
    }
    delivery = Delivery.objects.order_by("id").first()
    assert delivery.event_id is not None  # the bulk-inserted event it reports


def test_ingest_asks_once_per_batch_whether_anyone_subscribes(db, twitter):
    with CaptureQueriesContext(connection) as queries:
        store_messages(twitter, [inbound(str(n)) for n in range(50)], source="test")
    assert len([q for q in queries if "hooks_" in q["sql"]]) == 1
    assert not Delivery.objects.exists()


def test_assigned_comes_from_a_claim(endpoint, receiver, twitter, alice):
    from townsquare.care.claims import claim
    from townsquare.care.models import AgentProfile

    AgentProfile.objects.update_or_create(user=alice, defaults={"presence": "online", "capacity": 5})
    conversation = ingest_conversation(twitter)
    Conversation.objects.filter(pk=conversation.pk).update(language="en")

    claim(alice, conversation)

    body = received(receiver)[-1]
    assert body["event"] == "conversation.assigned"
    assert body["assignment"] == {"via": "claim"}
    assert body["conversation"]["assignee"] == {"id": alice.pk, "username": "alice", "name": "Alice"}
    assert body["conversation"]["language"] == "en"


def test_replied_comes_from_a_delivered_reply(endpoint, receiver, twitter, alice):
    from townsquare.replies.delivery import deliver_reply
    from townsquare.replies.models import Reply

    conversation = ingest_conversation(twitter)
    reply = Reply.objects.create(
        conversation=conversation,
        author=alice,
        text="Sorry about that! A replacement is on its way.",
        send_after=timezone.now() - timedelta(seconds=1),
    )

    assert deliver_reply(reply.pk) == "sent"

    bodies = [b for b in received(receiver) if b["event"] == "conversation.replied"]
    reply.refresh_from_db()
    assert len(bodies) == 1
    assert bodies[0]["message"]["id"] == reply.message_id
    assert bodies[0]["message"]["text"] == "Sorry about that! A replacement is on its way."
    # The first reply opens the conversation; that status change is not a webhook of its own.
    assert [b["event"] for b in received(receiver)].count("conversation.resolved") == 0


def test_resolved_comes_from_the_status_service(endpoint, receiver, twitter, grace):
    conversation = ingest_conversation(twitter)
    change_status(grace, conversation, "open")
    change_status(grace, conversation, "pending")
    change_status(grace, conversation, "resolved")

    bodies = [b for b in received(receiver) if b["event"] != "conversation.created"]

    # open and pending are status changes too, but only resolving is a webhook.
    assert [b["event"] for b in bodies] == ["conversation.resolved"]
    assert bodies[0]["previous_status"] == "pending"
    assert bodies[0]["conversation"]["status"] == "resolved"


def test_sla_breached_names_the_metric(endpoint, receiver, twitter):
    conversation = ingest_conversation(twitter)
    record(
        "sla.breached",
        conversation_id=conversation.pk,
        data={"metric": "first_response", "due_at": "2026-11-20T09:30:00+00:00"},
    )

    body = received(receiver)[-1]

    assert body["event"] == "sla.breached"
    assert body["sla"] == {"metric": "first_response", "due_at": "2026-11-20T09:30:00+00:00"}


@pytest.mark.parametrize(
    "kinds, expected",
    [
        (["conversation.resolved"], []),
        (["sla.breached", "conversation.created"], ["conversation.created", "sla.breached"]),
        (["*"], ["conversation.created", "sla.breached"]),
    ],
)
def test_only_subscribed_kinds_are_sent(grace, receiver, twitter, kinds, expected):
    make_endpoint(grace, receiver.url, kinds)
    conversation = ingest_conversation(twitter)
    record("sla.breached", conversation_id=conversation.pk, data={"metric": "resolution", "due_at": None})
    record("conversation.unassigned", conversation_id=conversation.pk, data={"reason": "released"})

    assert [b["event"] for b in received(receiver)] == expected


def test_an_inactive_endpoint_gets_nothing(grace, receiver, twitter):
    make_endpoint(grace, receiver.url, ["*"], is_active=False)
    conversation = ingest_conversation(twitter)
    record("sla.breached", conversation_id=conversation.pk, data={"metric": "resolution", "due_at": None})

    assert received(receiver) == []
    assert not Delivery.objects.exists()
    assert Endpoint.objects.count() == 1
