"""An agent answers an email thread three times: each answer reaches the customer's mail server with
the headers that keep it in their thread, and their answers to ours stay in one conversation."""

import pytest

from tests.delivery.email_fixtures import DANA, SUPPORT, customer_email, deliver_now
from townsquare.connectors.email.reply_token import conversation_from_address
from townsquare.inbox.models import Message
from townsquare.replies.send import send_reply

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("quiet_delivery")]


def ids(header: str) -> list[str]:
    return [part.strip("<>") for part in (header or "").split()]


def test_three_replies_thread_with_the_customers_mails(alice, support_mailbox, smtp_sink):
    first = customer_email(support_mailbox, "m1.dana@customer.test", "My order 48213 has not arrived.")
    conversation = first.conversation
    thread = ["m1.dana@customer.test"]
    answers = ["We are checking with the courier.", "It left the depot today.", "Glad it arrived!"]
    for turn, answer in enumerate(answers):
        reply = send_reply(alice, conversation, answer, acknowledge_warnings=True)
        assert deliver_now(reply) == "sent"
        mail = smtp_sink.messages[turn]
        our_id = mail["Message-ID"].strip("<>")
        assert mail["To"] == DANA
        assert SUPPORT in mail["From"] and "Acme Support" in mail["From"]
        assert mail["Subject"] == "Re: Order 48213 has not arrived"  # never "Re: Re:"
        assert ids(mail["In-Reply-To"]) == [thread[-1]]
        assert ids(mail["References"]) == thread
        assert mail["X-Townsquare-Reply"] == str(reply.pk)
        assert mail.get_content().strip() == answer
        assert our_id.startswith(f"townsquare-reply-{reply.pk}.") and our_id.endswith("@acme.test")
        # Answers to the reply address come back to this conversation even without headers.
        assert conversation_from_address(support_mailbox, mail["Reply-To"]) == conversation.pk
        assert reply.remote_id == our_id
        assert reply.message.external_id == our_id and reply.message.conversation_id == conversation.pk
        thread.append(our_id)
        # Dana answers our mail from her client, quoting the whole thread.
        theirs = f"m{turn + 2}.dana@customer.test"
        answered = customer_email(
            support_mailbox,
            theirs,
            f"Thanks ({turn + 1})",
            subject="Re: Order 48213 has not arrived",
            in_reply_to=our_id,
            references=tuple(thread),
            minute=turn + 1,
        )
        assert answered.conversation_id == conversation.pk
        assert answered.parent_id == reply.message_id
        thread.append(theirs)
    assert len(smtp_sink.messages) == 3
    assert Message.objects.filter(conversation=conversation).count() == 7
    assert [m.rcpt_tos for m in smtp_sink.received] == [[DANA]] * 3


def test_the_customers_reply_to_address_wins(alice, support_mailbox, smtp_sink):
    asked = customer_email(support_mailbox, "m1@customer.test", "Please answer my work address.")
    asked.raw["reply_to"] = "Dana at work <dana@work.test>"
    asked.save(update_fields=["raw"])
    reply = send_reply(alice, asked.conversation, "Sure, here it is.")
    assert deliver_now(reply) == "sent"
    assert smtp_sink.received[0].rcpt_tos == ["dana@work.test"]


def test_a_long_thread_keeps_its_first_and_newest_references(alice, support_mailbox, smtp_sink):
    older = tuple(f"old{n}@customer.test" for n in range(40))
    asked = customer_email(support_mailbox, "m41@customer.test", "Still broken.", references=older)
    reply = send_reply(alice, asked.conversation, "Sending a new one today.")
    assert deliver_now(reply) == "sent"
    references = ids(smtp_sink.messages[0]["References"])
    assert len(references) == 20
    assert references[0] == "old0@customer.test"  # the thread's root
    assert references[-2:] == ["old39@customer.test", "m41@customer.test"]


def test_a_subject_with_line_breaks_cannot_inject_headers(alice, support_mailbox, smtp_sink):
    asked = customer_email(
        support_mailbox, "m1@customer.test", "Hello", subject="Hi\r\nBcc: everyone@evil.test"
    )
    reply = send_reply(alice, asked.conversation, "Hello Dana.")
    assert deliver_now(reply) == "sent"
    mail = smtp_sink.messages[0]
    assert mail["Bcc"] is None and smtp_sink.received[0].rcpt_tos == [DANA]
    assert mail["Subject"] == "Re: Hi Bcc: everyone@evil.test"


def test_a_retried_reply_keeps_its_message_id(alice, support_mailbox, smtp_sink):
    from townsquare.connectors.registry import connector_for
    from townsquare.replies.outgoing import plan_delivery

    asked = customer_email(support_mailbox, "m1@customer.test", "Hello")
    reply = send_reply(alice, asked.conversation, "Hello Dana.")
    planned = plan_delivery(reply)
    first = connector_for(support_mailbox).send(planned.outgoing)
    second = connector_for(support_mailbox).send(planned.outgoing)
    assert first.external_id == second.external_id
    assert [m["Message-ID"] for m in smtp_sink.messages] == [f"<{first.external_id}>"] * 2


def test_accents_and_long_lines_arrive_intact(alice, support_mailbox, smtp_sink):
    asked = customer_email(
        support_mailbox, "m1@customer.test", "¿Dónde está?", subject="¿Dónde está mi pedido?"
    )
    answer = "Hola Dana, tu pedido 48213 llegará el viernes. 🚚 " + "ñ" * 2000
    reply = send_reply(alice, asked.conversation, answer)
    assert deliver_now(reply) == "sent"
    mail = smtp_sink.messages[0]
    assert mail["Subject"] == "Re: ¿Dónde está mi pedido?"
    assert mail.get_content().rstrip("\r\n") == answer  # CRLF: MIME's canonical line end
