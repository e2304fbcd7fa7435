"""A customer mentions the brand on Mastodon; Alice answers from Townsquare; the answer is a reply there."""

from datetime import timedelta

import pytest
from django.utils import timezone

from townsquare.connectors.polling import poll_channel
from townsquare.inbox.models import Conversation, Message
from townsquare.inbox.visibility import visible_conversations
from townsquare.replies.models import Reply
from townsquare.replies.send import send_reply
from townsquare.replies.tasks import deliver_reply_task

pytestmark = pytest.mark.django_db


def deliver_now(reply: Reply) -> str:
    """End the undo window and run the delivery task's function, as the worker would."""
    Reply.objects.filter(pk=reply.pk).update(send_after=timezone.now() - timedelta(seconds=1))
    outcome = deliver_reply_task.call(reply.pk)
    reply.refresh_from_db()
    return outcome


def test_a_mention_becomes_a_conversation_answered_on_mastodon_in_the_same_thread(acme, fake, alice):
    asked = fake.mention("where is my order 48213?", visibility="unlisted")
    poll_channel(acme.pk)

    conversation = visible_conversations(alice).get(channel=acme)
    assert conversation.subject == "@acme where is my order 48213?"
    assert conversation.customer.display_name == "Dana Ortiz"

    reply = send_reply(alice, conversation, "Sorry Dana, it left our warehouse today.")
    assert deliver_now(reply) == "sent"
    [posted] = fake.posted
    assert posted["in_reply_to_id"] == asked["status"]["id"]
    assert posted["visibility"] == "unlisted"
    assert posted["status"] == "@dana@mastodon.example Sorry Dana, it left our warehouse today."
    assert posted["idempotency_key"] == f"townsquare-reply-{reply.pk}"
    assert reply.status == "sent" and reply.remote_id == posted["id"]
    outbound = reply.message
    assert (outbound.external_id, outbound.conversation_id) == (posted["id"], conversation.pk)

    # Dana answers our reply on Mastodon: the next poll puts it in the same conversation.
    fake.mention("great, thanks!", in_reply_to_id=posted["id"])
    assert poll_channel(acme.pk).stored == 1
    conversation.refresh_from_db()
    assert conversation.message_count == 3
    assert Message.objects.filter(channel=acme, conversation=conversation).count() == 3
    assert Conversation.objects.filter(channel=acme).count() == 1


def test_a_direct_message_is_answered_with_a_direct_message(acme, fake, alice):
    fake.mention("my address changed, can you update the order?", visibility="direct")
    poll_channel(acme.pk)
    conversation = visible_conversations(alice).get(channel=acme)
    reply = send_reply(alice, conversation, "Done, the new address is on the order.")
    assert deliver_now(reply) == "sent"
    assert [p["visibility"] for p in fake.posted] == ["direct"]


def test_a_reply_to_a_deleted_status_fails_with_mastodons_reason_on_the_conversation(acme, fake, alice):
    asked = fake.mention("never mind")
    poll_channel(acme.pk)
    fake.delete_status(asked["status"]["id"])
    conversation = visible_conversations(alice).get(channel=acme)
    reply = send_reply(alice, conversation, "Glad it worked out!")
    assert deliver_now(reply) == "failed"
    assert "Record not found" in reply.error
    assert not fake.posted


def test_an_instance_outage_retries_the_reply_and_the_retry_posts_it_once(acme, fake, alice):
    fake.mention("hello?")
    poll_channel(acme.pk)
    conversation = visible_conversations(alice).get(channel=acme)
    reply = send_reply(alice, conversation, "Hi! How can we help?")
    fake.fail_next.append((503, {"error": "Service Unavailable"}, {}))
    assert deliver_now(reply) == "retrying"
    assert reply.status == "scheduled" and "503" in reply.error
    assert deliver_now(reply) == "sent"
    assert len(fake.posted) == 1
