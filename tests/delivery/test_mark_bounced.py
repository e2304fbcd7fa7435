"""A bounce (DSN) for a reply we sent turns that reply into a failed one with the bounce's reason."""

import pytest

from tests.delivery.email_fixtures import customer_email, deliver_now, email_channel
from townsquare.events.models import Event
from townsquare.replies.delivery import mark_bounced
from townsquare.replies.send import send_reply

pytestmark = pytest.mark.db


@pytest.fixture
def sent_reply(alice, support_mailbox, smtp_sink):
    conversation = customer_email(support_mailbox, "m1@customer.test", "Where is my order?").conversation
    reply = send_reply(alice, conversation, "It ships today.")
    assert deliver_now(reply) == "sent"
    return reply


def test_a_bounce_fails_the_reply_it_names(support_mailbox, sent_reply, client, alice):
    from django.urls import reverse

    assert mark_bounced(support_mailbox, f"<{sent_reply.remote_id}>", "550 5.1.1 user unknown") is True
    sent_reply.refresh_from_db()
    assert sent_reply.status == "failed" and sent_reply.error == "bounced: 550 5.1.1 user unknown"
    failed = Event.objects.get(kind="reply.failed")
    assert failed.data["bounced"] is True and failed.data["reply_id"] == sent_reply.pk
    client.force_login(alice)
    page = client.get(reverse("web:conversation", args=[sent_reply.conversation_id])).content.decode()
    assert "bounced: 550 5.1.1 user unknown" in page and 'data-testid="retry-reply"' in page


def test_a_bounce_is_counted_once(support_mailbox, sent_reply):
    assert mark_bounced(support_mailbox, sent_reply.remote_id, "mailbox full") is True
    assert mark_bounced(support_mailbox, sent_reply.remote_id, "mailbox full") is False
    assert Event.objects.filter(kind="reply.failed").count() == 1


@pytest.mark.parametrize("message_id", ["", "<>", "unknown@acme.test", None])
def test_a_bounce_naming_no_reply_of_ours_changes_nothing(support_mailbox, sent_reply, message_id):
    assert mark_bounced(support_mailbox, message_id, "user unknown") is False
    sent_reply.refresh_from_db()
    assert sent_reply.status == "sent"


def test_a_bounce_on_another_channel_does_not_fail_our_reply(sent_reply, smtp_sink):
    other = email_channel(smtp_sink.port, name="sales-email", address="sales@acme.test")
    assert mark_bounced(other, sent_reply.remote_id, "user unknown") is False
