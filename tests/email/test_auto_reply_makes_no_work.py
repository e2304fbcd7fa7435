"""Out-of-office replies, mailing lists and other automatic mail: stored, but nobody has to answer
them, so they never start a reply loop."""

import pytest
from django.utils import timezone

from tests.email.inbound_mails import plain
from townsquare.connectors.email.inbound import receive_email
from townsquare.events.models import Event
from townsquare.inbox.ingest.normalized import InboundMessage
from townsquare.inbox.ingest.store import store_messages
from townsquare.inbox.models import Conversation, Message
from townsquare.labels.models import MessageLabels
from townsquare.replies.models import Reply

# Triage and routing run as soon as ingest commits, so a conversation that gets triaged shows it.
IMMEDIATE_TASKS = {
    "default": {
        "BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "triage", "semantic", "webhooks"],
    }
}

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("email_data_dir")]

AUTOMATIC = {
    "auto-submitted": "Auto-Submitted: auto-replied\r\n",
    "x-autoreply": "X-Autoreply: yes\r\n",
    "precedence": "Precedence: bulk\r\n",
    "exchange": "X-Auto-Response-Suppress: All\r\n",
    "mailing list": "List-Id: <news.vendor.example>\r\nList-Unsubscribe: <mailto:leave@vendor.example>\r\n",
    "null sender": "Return-Path: <>\r\n",
    "x-loop": "X-Loop: support@shop.test\r\n",
}


def answered_conversation(channel) -> Conversation:
    """Dana asked, the shop answered and now waits for her: the conversation is pending."""
    receive_email(channel, plain("Where is my order?", message_id="ask@customer.test"))
    store_messages(
        channel,
        [
            InboundMessage(
                external_id="answer-1@shop.test",
                author_id="brand",
                text="It ships tomorrow.",
                created_at=timezone.now(),
                direction="out",
                parent_external_id="ask@customer.test",
            )
        ],
        source="reply",
    )
    conversation = Conversation.objects.get(channel=channel)
    Conversation.objects.filter(pk=conversation.pk).update(status="pending", waiting_since=None)
    return conversation


@pytest.mark.parametrize("extra", AUTOMATIC.values(), ids=AUTOMATIC.keys())
def test_an_auto_reply_in_a_thread_neither_reopens_nor_waits(support, extra):
    conversation = answered_conversation(support)
    reply = plain(
        "I am out of the office until Monday.",
        message_id="ooo@customer.test",
        subject="Re: My order 48213 has not arrived",
        in_reply_to="answer-1@shop.test",
        extra=extra,
    )
    outcome = receive_email(support, reply)
    assert outcome.status == "auto_reply"
    assert outcome.conversation_id == conversation.pk
    conversation.refresh_from_db()
    assert conversation.status == "pending"
    assert conversation.waiting_since is None
    message = Message.objects.get(external_id="ooo@customer.test")
    assert message.raw["auto_reply"] is True
    assert Event.objects.filter(kind="email.auto_reply_ignored", message_id=message.pk).exists()
    assert not Reply.objects.exists()


def test_a_person_answering_the_same_thread_reopens_it(support):
    conversation = answered_conversation(support)
    receive_email(
        support,
        plain("It did not ship.", message_id="human@customer.test", in_reply_to="answer-1@shop.test"),
    )
    conversation.refresh_from_db()
    assert conversation.status == "open"
    assert conversation.waiting_since is not None


@pytest.mark.parametrize(
    "subject",
    [
        "Out of Office: Router",
        "Automatic reply: Router",
        "Abwesenheitsnotiz: Router",
        "Réponse automatique : Router",
    ],
)
def test_an_auto_reply_that_starts_a_conversation_lands_in_not_for_us(
    settings, support, subject, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE_TASKS
    settings.TRIAGE_ON_INGEST = True
    with django_capture_on_commit_callbacks(execute=True):
        outcome = receive_email(
            support, plain("Back on Monday.", message_id="ooo-new@c.test", subject=subject)
        )
    conversation = Conversation.objects.get(pk=outcome.conversation_id)
    assert conversation.not_for_us is True
    assert conversation.triage_pending is False
    assert conversation.assignee_id is None and conversation.queue_id is None
    labels = MessageLabels.objects.get(message_id=outcome.message_id)
    assert (labels.not_for_us, labels.triage_version) == (True, "auto-reply")
    assert not Event.objects.filter(kind="triage.labelled").exists()
    assert not Reply.objects.exists()


def test_a_persons_first_mail_is_triaged(settings, support, django_capture_on_commit_callbacks):
    settings.TASKS = IMMEDIATE_TASKS
    settings.TRIAGE_ON_INGEST = True
    with django_capture_on_commit_callbacks(execute=True):
        outcome = receive_email(support, plain("My router is broken, please help.", message_id="p@c.test"))
    assert Event.objects.filter(kind="triage.labelled").exists()
    assert Conversation.objects.get(pk=outcome.conversation_id).not_for_us is False


def test_mail_from_our_own_address_makes_no_work(support):
    own = plain("Copy of our answer", message_id="own@shop.test", sender="Support <support@shop.test>")
    assert receive_email(support, own).status == "auto_reply"


def test_our_own_google_group_is_not_a_mailing_list(support):
    forwarded = plain(
        "Help!",
        message_id="g@c.test",
        extra="List-Id: <support.shop.test>\r\nList-Unsubscribe: <mailto:x@y>\r\n",
    )
    assert receive_email(support, forwarded).status == "stored"
