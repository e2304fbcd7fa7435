"""A reply waiting for a channel an admin switched off is not sent through it: it fails with a reason
that says what to do, and goes out once the channel is switched on again and the reply retried."""

import pytest

from tests.delivery.email_fixtures import customer_email, deliver_now
from townsquare.connectors.config import set_channel_active
from townsquare.replies.models import Reply
from townsquare.replies.retry import retry_reply
from townsquare.replies.send import send_reply

pytestmark = pytest.mark.db


def test_a_switched_off_channel_sends_nothing_and_says_why(grace, alice, support_mailbox, smtp_sink):
    conversation = customer_email(support_mailbox, "m1@customer.test", "Where is my order?").conversation
    reply = send_reply(alice, conversation, "It ships today.")
    set_channel_active(grace, support_mailbox, False)

    assert deliver_now(reply) == "failed"
    reply.refresh_from_db()
    assert "switched off" in reply.error and support_mailbox.name in reply.error
    assert smtp_sink.messages == []

    set_channel_active(grace, support_mailbox, True)
    retry_reply(alice, Reply.objects.get(pk=reply.pk))
    assert deliver_now(reply) == "sent"
    assert len(smtp_sink.messages) == 1
