"""What becomes of an email reply the SMTP server does not take: a 4xx or an unreachable server is
retried with backoff until it goes through or the attempts run out; a 5xx fails the reply at once
with the server's reason, and the channel's health shows the error."""

import pytest
from django.utils import timezone

from tests.delivery.email_fixtures import (
    DANA,
    customer_email,
    deliver_now,
    email_channel,
    set_password,
)
from tests.delivery.smtp_sink import Refusal, SilentServer, SmtpSink
from townsquare.connectors.health import state_of
from townsquare.events.models import Event
from townsquare.inbox.models import Message
from townsquare.replies.send import send_reply

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("quiet_delivery")]


def asked(channel):
    return customer_email(channel, "m1@customer.test", "Where is my order?").conversation


def test_a_451_is_retried_and_the_reply_is_delivered_once(alice, support_mailbox, smtp_sink):
    smtp_sink.refuse_data = Refusal("451 4.3.0 Mailbox busy, try again later", times=1)
    conversation = asked(support_mailbox)
    reply = send_reply(alice, conversation, "It ships today.")
    assert deliver_now(reply) == "retrying"
    assert (reply.status, reply.attempts) == ("scheduled", 1)
    assert reply.error.startswith("attempt 1 failed: 127.0.0.1:")
    assert "451 4.3.0 Mailbox busy" in reply.error and "retrying at" in reply.error
    retry = Event.objects.get(kind="reply.delivery_retry")
    assert retry.data["attempt"] == 1 and retry.conversation_id == conversation.pk
    assert state_of(support_mailbox.pk).health == "failing"

    assert deliver_now(reply) == "sent"
    assert (reply.status, reply.attempts, reply.error) == ("sent", 2, "")
    assert len(smtp_sink.messages) == 1
    assert Message.objects.filter(conversation=conversation, direction="out").count() == 1
    assert Event.objects.filter(kind="message.sent").count() == 1
    assert state_of(support_mailbox.pk).health == "ok"


def test_a_reply_is_not_delivered_before_its_retry_time(alice, support_mailbox, smtp_sink):
    from townsquare.replies.delivery import deliver_reply

    smtp_sink.refuse_rcpt = Refusal("452 4.2.2 Mailbox full for now", times=1)
    reply = send_reply(alice, asked(support_mailbox), "It ships today.")
    assert deliver_now(reply) == "retrying"
    assert deliver_reply(reply.pk) == "not due"
    assert reply.send_after > reply.created_at
    assert smtp_sink.messages == []


def test_a_550_fails_the_reply_at_once_with_the_servers_reason(alice, support_mailbox, smtp_sink):
    smtp_sink.refuse_rcpt = Refusal("550 5.1.1 <dana@customer.test>: Recipient address rejected", times=1)
    conversation = asked(support_mailbox)
    reply = send_reply(alice, conversation, "It ships today.")
    assert deliver_now(reply) == "failed"
    assert (reply.status, reply.attempts) == ("failed", 1)
    assert "refused the recipient" in reply.error and "Recipient address rejected" in reply.error
    failed = Event.objects.get(kind="reply.failed")
    assert failed.data["reply_id"] == reply.pk and failed.actor_id == alice.pk
    assert not Message.objects.filter(conversation=conversation, direction="out").exists()
    state = state_of(support_mailbox.pk)
    assert state.health == "failing" and "Recipient address rejected" in state.last_error


def test_an_unreachable_server_is_retried_until_the_attempts_run_out(alice, closed_smtp_port, settings, db):
    settings.DELIVERY_MAX_ATTEMPTS = 3
    channel = email_channel(closed_smtp_port)
    reply = send_reply(alice, asked(channel), "It ships today.")
    assert deliver_now(reply) == "retrying"
    assert "refused the connection" in reply.error
    assert deliver_now(reply) == "retrying"
    assert deliver_now(reply) == "failed"
    assert reply.attempts == 3
    assert reply.error.startswith("gave up after 3 attempts")
    assert Event.objects.filter(kind="reply.delivery_retry").count() == 2
    assert Event.objects.filter(kind="reply.failed").count() == 1


def test_a_server_that_never_answers_times_out_and_is_retried(alice, db):
    with SilentServer() as silent:
        channel = email_channel(silent.port, smtp_timeout=1)
        reply = send_reply(alice, asked(channel), "It ships today.")
        assert deliver_now(reply) == "retrying"
    assert "did not answer within 1 s" in reply.error


def test_a_refused_login_fails_the_reply(alice, db):
    with SmtpSink(logins={"acme": "right-password"}) as sink:
        channel = email_channel(sink.port, smtp_username="acme")
        set_password(channel, "wrong-password")
        reply = send_reply(alice, asked(channel), "It ships today.")
        assert deliver_now(reply) == "failed"
        assert "refused the login" in reply.error and "535" in reply.error

        set_password(channel, "right-password")
        other = send_reply(alice, asked_again(channel), "It ships today.")
        assert deliver_now(other) == "sent"
        assert sink.received[0].rcpt_tos == [DANA]


def asked_again(channel):
    return customer_email(channel, "m2@customer.test", "Anyone there?").conversation


def test_a_customer_without_an_address_fails_clearly(alice, support_mailbox, smtp_sink):
    from townsquare.inbox.ingest.normalized import InboundMessage
    from townsquare.inbox.ingest.store import store_messages

    anonymous = InboundMessage("x1", "not-an-address", "Hi", created_at=timezone.now())
    stored = store_messages(support_mailbox, [anonymous], source="test")
    conversation = Message.objects.get(pk=stored.outcomes[0][2]).conversation
    reply = send_reply(alice, conversation, "Hello!")
    assert deliver_now(reply) == "failed"
    assert reply.error == "the customer has no email address to answer"
    assert smtp_sink.messages == []


def test_unusable_smtp_settings_fail_the_reply_naming_the_setting(alice, db):
    channel = email_channel(25, smtp_security="carrier-pigeon")
    reply = send_reply(alice, asked(channel), "It ships today.")
    assert deliver_now(reply) == "failed"
    assert "SMTP settings cannot be used" in reply.error
