"""The periodic check delivers replies whose task was lost, within a time budget per pass."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.delivery.email_fixtures import customer_email
from townsquare.ops import periodic
from townsquare.replies.models import Reply
from townsquare.replies.send import send_reply

pytestmark = pytest.mark.db


def lost_tasks(alice, conversation, count: int) -> list[Reply]:
    replies = [
        send_reply(alice, conversation, f"Answer {n}", acknowledge_warnings=True) for n in range(count)
    ]
    Reply.objects.filter(pk__in=[r.pk for r in replies]).update(
        send_after=timezone.now() - timedelta(minutes=5)
    )
    return replies


def test_lost_replies_are_delivered_by_the_periodic_check(alice, support_mailbox, smtp_sink):
    conversation = customer_email(support_mailbox, "m1@customer.test", "Hello?").conversation
    lost_tasks(alice, conversation, 3)
    periodic.deliver_due_replies("live-worker")
    assert Reply.objects.filter(status="sent").count() == 3
    assert len(smtp_sink.messages) == 3


def test_a_pass_stops_delivering_when_its_time_is_up(alice, support_mailbox, smtp_sink, monkeypatch):
    monkeypatch.setattr(periodic, "DELIVERY_BUDGET_SECONDS", 0.0)
    conversation = customer_email(support_mailbox, "m1@customer.test", "Hello?").conversation
    lost_tasks(alice, conversation, 3)
    periodic.deliver_due_replies("live-worker")
    assert Reply.objects.filter(status="sent").count() == 1
    periodic.deliver_due_replies("live-worker")
    assert Reply.objects.filter(status="sent").count() == 2
