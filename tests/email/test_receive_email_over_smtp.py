"""Dana writes to support@shop.test; the mail server hands it to Townsquare's SMTP (or LMTP) listener."""

import smtplib

import pytest

from tests.email.conftest import SALES, SUPPORT
from tests.email.inbound_mails import plain, send_smtp
from townsquare.connectors.models import RejectedInbound
from townsquare.events.models import Event
from townsquare.inbox.models import Channel, Conversation, Message
from townsquare.people.models import Identity

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("email_data_dir")]

QUESTION = (
    "Hi, my order 48213 has not arrived yet. Can you check?\r\n\r\n"
    "Best regards,\r\nDana Scully\r\nCustomer Corp\r\n"
)


def test_a_customer_email_becomes_a_conversation_named_by_its_subject(support, smtp_port):
    refused = send_smtp(smtp_port, plain(QUESTION, message_id="q1@customer.test"), [SUPPORT])
    assert refused == {}
    message = Message.objects.get(channel=support)
    assert message.external_id == "q1@customer.test"
    assert message.text == "Hi, my order 48213 has not arrived yet. Can you check?"
    assert "Best regards" in message.raw["full_text"]
    assert message.conversation.subject == "My order 48213 has not arrived"
    assert message.direction == "in"
    author = Identity.objects.get(pk=message.author_id)
    assert (author.external_id, author.handle, author.display_name) == (
        "dana@customer.test",
        "dana@customer.test",
        "Dana Scully",
    )
    assert Channel.objects.get(pk=support.pk).messages_stored == 1


def test_the_same_email_delivered_twice_is_stored_once(support, smtp_port):
    raw = plain(QUESTION, message_id="twice@customer.test")
    send_smtp(smtp_port, raw, [SUPPORT])
    send_smtp(smtp_port, raw, [SUPPORT])
    assert Message.objects.filter(channel=support).count() == 1
    assert Channel.objects.get(pk=support.pk).messages_duplicate == 1


def test_plus_addresses_and_aliases_reach_the_channel(support, smtp_port):
    send_smtp(smtp_port, plain("one", message_id="p1@c.test"), ["Support+Orders@Shop.Test"])
    send_smtp(smtp_port, plain("two", message_id="p2@c.test"), ["help@shop.test"])
    assert set(Message.objects.filter(channel=support).values_list("external_id", flat=True)) == {
        "p1@c.test",
        "p2@c.test",
    }


def test_an_unknown_recipient_is_refused_with_550(support, smtp_port):
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        send_smtp(smtp_port, plain("hello", message_id="x@c.test"), ["nobody@shop.test"])
    code, said = refused.value.recipients["nobody@shop.test"]
    assert code == 550 and b"no such mailbox" in said
    assert not Message.objects.exists()


def test_an_inactive_channel_takes_no_mail(support, smtp_port):
    Channel.objects.filter(pk=support.pk).update(is_active=False)
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        send_smtp(smtp_port, plain("hello", message_id="off@c.test"), [SUPPORT])


def test_one_mail_to_two_channels_is_stored_once_in_each(support, sales, smtp_port):
    refused = send_smtp(
        smtp_port, plain("to both", message_id="both@c.test"), [SUPPORT, SALES, "nobody@shop.test"]
    )
    assert set(refused) == {"nobody@shop.test"}
    assert Message.objects.filter(external_id="both@c.test").count() == 2
    assert Conversation.objects.count() == 2


def test_a_message_over_the_size_limit_is_refused_with_552(settings, support, transactional_db):
    settings.EMAIL_MAX_BYTES = 2000  # read when the listener starts
    from tests.email.conftest import _listener

    listener = _listener(lmtp=False)
    port = next(listener)
    try:
        with pytest.raises(smtplib.SMTPException) as refused:
            send_smtp(port, plain("x" * 5000, message_id="big@c.test"), [SUPPORT])
        assert "552" in str(refused.value)
    finally:
        next(listener, None)
    assert not Message.objects.exists()


def test_malformed_mail_is_refused_with_the_reason_and_kept(support, smtp_port):
    broken = b"From: dana@customer.test\r\nSubject: parts\r\nContent-Type: multipart/mixed\r\n\r\nno boundary"
    with pytest.raises(smtplib.SMTPDataError) as refused:
        send_smtp(smtp_port, broken, [SUPPORT])
    assert refused.value.smtp_code == 554
    assert b"broken MIME structure" in refused.value.smtp_error
    kept = RejectedInbound.objects.get()
    assert bytes(kept.raw).rstrip(b"\r\n") == broken and kept.channel_id == support.pk


def test_lmtp_delivery_stores_the_mail(support, lmtp_port):
    send_smtp(lmtp_port, plain(QUESTION, message_id="lmtp@customer.test"), [SUPPORT], lmtp=True)
    assert Message.objects.filter(channel=support, external_id="lmtp@customer.test").exists()
    assert Event.objects.filter(kind="message.received", channel_id=support.pk).count() == 1


def test_a_message_over_the_channels_own_limit_is_refused_with_552(support, smtp_port):
    Channel.objects.filter(pk=support.pk).update(settings={**support.settings, "max_bytes": 1000})
    with pytest.raises(smtplib.SMTPDataError) as refused:
        send_smtp(smtp_port, plain(("x" * 70 + "\r\n") * 50, message_id="big2@c.test"), [SUPPORT])
    assert refused.value.smtp_code == 552
    assert b"over the limit of 1,000 bytes" in refused.value.smtp_error


def test_more_than_100_recipients_are_deferred_with_452(support, smtp_port):
    recipients = [f"support+{n}@shop.test" for n in range(101)]
    refused = send_smtp(smtp_port, plain("many", message_id="many@c.test"), recipients)
    assert list(refused) == ["support+100@shop.test"] and refused["support+100@shop.test"][0] == 452
    assert Message.objects.filter(channel=support).count() == 1


def test_a_stored_email_is_published_to_the_live_console_after_commit(
    support, django_capture_on_commit_callbacks, email_data_dir, monkeypatch
):
    from collections import OrderedDict

    from townsquare.connectors.email.inbound import receive_email
    from townsquare.realtime import publish
    from townsquare.realtime.publish import was_published

    monkeypatch.setattr(publish, "_published", OrderedDict())  # ids published by earlier tests

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        outcome = receive_email(support, plain("live?", message_id="live@c.test"))
    assert not was_published(outcome.message_id)  # nothing before the commit
    for callback in callbacks:
        callback()
    assert was_published(outcome.message_id)
