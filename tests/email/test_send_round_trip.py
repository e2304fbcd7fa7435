"""The whole loop over real SMTP: Dana's email arrives through the inbound path, Alice's answer leaves
through the channel's SMTP server, Dana answers it (with or without threading headers) and it lands in
the same conversation; a bounce for our answer marks it failed."""

from email.message import EmailMessage
from email.utils import make_msgid

import pytest

from tests.delivery.email_fixtures import DANA, SUPPORT, deliver_now
from townsquare.connectors.email.inbound import receive_email
from townsquare.inbox.models import Message
from townsquare.replies.models import Reply
from townsquare.replies.send import send_reply

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("quiet_delivery")]


def dana_writes(text: str, *, subject: str, to: str = SUPPORT, in_reply_to=None, references=()) -> bytes:
    mail = EmailMessage()
    mail["From"] = f"Dana Ortiz <{DANA}>"
    mail["To"] = to
    mail["Subject"] = subject
    mail["Message-ID"] = make_msgid(domain="customer.test")
    if in_reply_to:
        mail["In-Reply-To"] = in_reply_to
    if references:
        mail["References"] = " ".join(references)
    mail.set_content(text)
    return bytes(mail)


def bounce_for(message_id: str) -> bytes:
    """A delivery status notification (RFC 3464) as Postfix sends one."""
    return f"""From: Mail Delivery System <MAILER-DAEMON@mx.customer.test>
To: {SUPPORT}
Subject: Undelivered Mail Returned to Sender
Message-ID: <bounce-1@mx.customer.test>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

--b1
Content-Type: text/plain

Your message could not be delivered.

--b1
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.customer.test

Final-Recipient: rfc822; dana@customer.test
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 user unknown

--b1
Content-Type: text/rfc822-headers

Message-ID: <{message_id}>
Subject: Re: Order 48213

--b1--
""".replace("\n", "\r\n").encode()


def test_an_email_conversation_round_trip(alice, support_mailbox, smtp_sink):
    first = receive_email(support_mailbox, dana_writes("My order 48213 is late.", subject="Order 48213"))
    assert first.status == "stored"
    conversation_id = first.conversation_id
    reply = send_reply(alice, Message.objects.get(pk=first.message_id).conversation, "It ships today.")
    assert deliver_now(reply) == "sent"
    ours = smtp_sink.messages[0]
    assert ours["Subject"] == "Re: Order 48213"

    # Dana's client answers with the usual headers.
    threaded = dana_writes(
        "Thanks!",
        subject=ours["Subject"],
        to=ours["Reply-To"],
        in_reply_to=ours["Message-ID"],
        references=(ours["References"], ours["Message-ID"]),
    )
    answer = receive_email(support_mailbox, threaded)
    assert answer.conversation_id == conversation_id
    assert Message.objects.get(pk=answer.message_id).parent_id == reply.message_id

    # A client that drops the threading headers still reaches the conversation by the reply address.
    bare = receive_email(support_mailbox, dana_writes("One more thing", subject="hello", to=ours["Reply-To"]))
    assert bare.conversation_id == conversation_id


def test_a_bounce_for_our_answer_marks_it_failed(alice, support_mailbox, smtp_sink):
    first = receive_email(support_mailbox, dana_writes("Where is it?", subject="Order 48213"))
    reply = send_reply(alice, Message.objects.get(pk=first.message_id).conversation, "It ships today.")
    assert deliver_now(reply) == "sent"
    outcome = receive_email(support_mailbox, bounce_for(reply.remote_id))
    assert outcome.status == "bounce" and outcome.matched_reply
    reply = Reply.objects.get(pk=reply.pk)
    assert reply.status == "failed" and "user unknown" in reply.error
