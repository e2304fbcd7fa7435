"""A worker that died mid-delivery leaves its reply SENDING: the periodic check gives it to the next
attempt once TOWNSQUARE_DELIVERY_TIMEOUT_SECONDS have passed, and the customer gets it (once stored)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.delivery.email_fixtures import customer_email
from townsquare.events.models import Event
from townsquare.inbox.models import Message
from townsquare.ops import periodic
from townsquare.replies.models import Reply
from townsquare.replies.send import send_reply

pytestmark = pytest.mark.db


def interrupted(reply: Reply, *, minutes_ago: float, attempts: int = 1) -> None:
    """What a worker leaves behind when it dies between claiming a reply and storing it."""
    since = timezone.now() - timedelta(minutes=minutes_ago)
    Reply.objects.filter(pk=reply.pk).update(
        status="sending", sending_since=since, send_after=since, attempts=attempts
    )


@pytest.fixture
def dana_wrote(support_mailbox):
    return customer_email(support_mailbox, "m1@customer.test", "Where is my order?").conversation


def test_a_stale_sending_reply_is_delivered_by_the_periodic_check(alice, dana_wrote, smtp_sink, settings):
    settings.DELIVERY_TIMEOUT_SECONDS = 300
    reply = send_reply(alice, dana_wrote, "It ships today.")
    interrupted(reply, minutes_ago=6)
    periodic.deliver_due_replies("live-worker")
    reply.refresh_from_db()
    assert (reply.status, reply.attempts) == ("sent", 2)
    assert len(smtp_sink.messages) == 1
    assert Message.objects.filter(conversation=dana_wrote, direction="out").count() == 1
    recovered = Event.objects.get(kind="reply.delivery_retry")
    assert recovered.data["interrupted"] is True and "no answer within 300 s" in recovered.data["error"]


def test_a_reply_sending_for_less_than_the_timeout_is_left_alone(alice, dana_wrote, smtp_sink, settings):
    settings.DELIVERY_TIMEOUT_SECONDS = 300
    reply = send_reply(alice, dana_wrote, "It ships today.")
    interrupted(reply, minutes_ago=2)
    periodic.deliver_due_replies("live-worker")
    reply.refresh_from_db()
    assert reply.status == "sending" and smtp_sink.messages == []


def test_the_last_interrupted_attempt_fails_the_reply(alice, dana_wrote, smtp_sink, settings):
    settings.DELIVERY_MAX_ATTEMPTS = 2
    reply = send_reply(alice, dana_wrote, "It ships today.")
    interrupted(reply, minutes_ago=60, attempts=2)
    periodic.deliver_due_replies("live-worker")
    reply.refresh_from_db()
    assert reply.status == "failed" and reply.error.startswith("gave up after 2 attempts")
    assert smtp_sink.messages == []
    assert Event.objects.filter(kind="reply.failed").count() == 1


def test_a_late_answer_of_the_lost_attempt_does_not_store_the_reply_twice(alice, dana_wrote, smtp_sink):
    """The lost worker comes back after the periodic check handed its reply on: nothing is stored twice."""
    from townsquare.connectors.registry import connector_for
    from townsquare.replies.delivered import store_delivered
    from townsquare.replies.outgoing import plan_delivery

    reply = send_reply(alice, dana_wrote, "It ships today.")
    interrupted(reply, minutes_ago=10)
    planned = plan_delivery(reply)
    late_sent = connector_for(planned.channel).send(planned.outgoing)  # the lost worker's send
    periodic.deliver_due_replies("live-worker")  # the next attempt delivers and stores it
    assert store_delivered(Reply.objects.get(pk=reply.pk), planned, late_sent) is None
    assert Message.objects.filter(conversation=dana_wrote, direction="out").count() == 1
    # Both copies carry the same Message-ID: the customer's mail client shows one message.
    assert len({m["Message-ID"] for m in smtp_sink.messages}) == 1
