"""A customer's mail server bounces one of our replies: the bounce is no customer message, and the
reply it names is marked failed with the server's reason."""

import pytest

from townsquare.connectors.email.inbound import receive_email
from townsquare.events.models import Event
from townsquare.inbox.models import Message

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("email_data_dir")]

OUR_REPLY = "townsquare-reply-7.a1b2c3d4e5f6@shop.test"

DSN = (
    "From: Mail Delivery System <MAILER-DAEMON@mx.customer.test>\r\n"
    "To: support@shop.test\r\n"
    "Subject: Undelivered Mail Returned to Sender\r\n"
    "Message-ID: <dsn-1@mx.customer.test>\r\n"
    "Auto-Submitted: auto-replied\r\n"
    "MIME-Version: 1.0\r\n"
    'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
    "--B\r\nContent-Type: text/plain\r\n\r\nI'm sorry to have to inform you that your message could not be delivered.\r\n"
    "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
    "Reporting-MTA: dns; mx.customer.test\r\n\r\n"
    "Final-Recipient: rfc822; dana@customer.test\r\nAction: {action}\r\nStatus: {status}\r\n"
    "Diagnostic-Code: smtp; 550 5.1.1 <dana@customer.test>: Recipient address rejected: User unknown\r\n"
    "--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
    f"From: Support <support@shop.test>\r\nTo: dana@customer.test\r\nMessage-ID: <{OUR_REPLY}>\r\n"
    "Subject: Re: My order\r\n"
    "--B--\r\n"
)


def test_a_delivery_status_report_is_recorded_and_never_stored_as_a_message(support):
    outcome = receive_email(support, DSN.format(action="failed", status="5.1.1").encode(), envelope_from="")
    assert outcome.status == "bounce"
    assert not Message.objects.exists()
    event = Event.objects.get(kind="email.bounced")
    assert event.data["original_message_id"] == OUR_REPLY
    assert "5.1.1" in event.data["reason"] and "User unknown" in event.data["reason"]
    assert event.data["permanent"] is True


def test_a_delay_report_fails_nothing(support):
    outcome = receive_email(support, DSN.format(action="delayed", status="4.4.1").encode(), envelope_from="")
    assert outcome.status == "bounce" and outcome.matched_reply is False
    assert Event.objects.get(kind="email.bounced").data["permanent"] is False


def test_a_plain_text_bounce_from_the_mailer_daemon_names_the_returned_message(support):
    bounce = (
        "From: MAILER-DAEMON@mx.customer.test\r\nTo: support@shop.test\r\nSubject: failure notice\r\n\r\n"
        "Sorry, we were unable to deliver your message.\r\n\r\n--- Below this line is a copy of the message.\r\n\r\n"
        f"Message-ID: <{OUR_REPLY}>\r\nSubject: Re: My order\r\n\r\nhello\r\n"
    )
    assert receive_email(support, bounce.encode()).status == "bounce"
    assert Event.objects.get(kind="email.bounced").data["original_message_id"] == OUR_REPLY
    assert not Message.objects.exists()


def test_a_bounce_of_a_reply_we_delivered_marks_it_failed(alice, support_mailbox, quiet_delivery):
    from tests.delivery.email_fixtures import customer_email, deliver_now
    from townsquare.replies.send import send_reply

    conversation = customer_email(support_mailbox, "m1@customer.test", "Where is my order?").conversation
    reply = send_reply(alice, conversation, "It ships today.")
    assert deliver_now(reply) == "sent"
    dsn = DSN.replace(OUR_REPLY, reply.remote_id).format(action="failed", status="5.1.1")
    outcome = receive_email(support_mailbox, dsn.encode(), envelope_from="")
    assert (outcome.status, outcome.matched_reply) == ("bounce", True)
    reply.refresh_from_db()
    assert reply.status == "failed"
    assert "5.1.1" in reply.error and "User unknown" in reply.error
    assert Message.objects.filter(direction="in").count() == 1  # only Dana's mail, not the bounce
