"""Alice replies to Dana: scheduled for the undo window, then stored as an outbound message."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from townsquare.events.models import Event
from townsquare.inbox.models import Conversation, Message
from townsquare.inbox.visibility import Forbidden
from townsquare.replies.models import Reply
from townsquare.replies.send import send_reply
from townsquare.replies.tasks import deliver_reply_task
from townsquare.replies.text import BadText

from .helpers import SUPPORT, deliver_now


def test_reply_waits_out_the_undo_window_in_a_deferred_task(
    alice, dana_asks, settings, django_capture_on_commit_callbacks
):
    settings.REPLY_UNDO_SECONDS = 10
    with django_capture_on_commit_callbacks(execute=True):
        reply = send_reply(alice, dana_asks, SUPPORT)
    assert reply.status == "scheduled"
    assert timedelta(seconds=9) < reply.send_after - reply.created_at <= timedelta(seconds=10)
    [task] = DBTaskResult.objects.filter(task_path__endswith="deliver_reply_task")
    assert task.run_after == reply.send_after
    assert task.args_kwargs["args"] == [reply.pk]
    # A worker that picked the task early (clock skew) delivers nothing before the window ends.
    assert deliver_reply_task.call(reply.pk) == "not due"
    assert not Message.objects.filter(conversation=dana_asks, direction="out").exists()


def test_after_the_window_the_reply_is_stored_as_the_brands_outbound_message(alice, dana_asks):
    reply = send_reply(alice, dana_asks, SUPPORT)
    assert deliver_now(reply) == "sent"
    assert reply.status == "sent" and reply.sent_at is not None
    message = reply.message
    assert (message.direction, message.text, message.conversation_id) == ("out", SUPPORT, dana_asks.pk)
    assert message.parent.external_id == "t1"
    assert message.author.is_brand
    event = Event.objects.get(kind="message.sent")
    assert event.data == {"message_id": message.pk, "reply_id": reply.pk}
    assert event.actor_id == alice.pk
    dana_asks.refresh_from_db()
    assert dana_asks.status == "open"
    assert dana_asks.first_response_at is not None
    assert dana_asks.waiting_since is None
    assert dana_asks.message_count == 2


def test_delivering_twice_stores_one_message(alice, dana_asks):
    reply = send_reply(alice, dana_asks, SUPPORT)
    deliver_now(reply)
    assert deliver_reply_task.call(reply.pk) == "sent"
    assert Message.objects.filter(conversation=dana_asks, direction="out").count() == 1


def test_the_reply_uses_the_channels_existing_brand_identity(alice, twitter, dana_asks):
    from .conftest import customer_message, ingest

    brand = customer_message("b1", "Hi! DM us", parent="t1", minute=1, author="acme_support")
    brand.direction = "out"
    ingest(twitter, brand)
    reply = send_reply(alice, dana_asks, SUPPORT)
    deliver_now(reply)
    assert reply.message.author.external_id == "acme_support"
    assert reply.message.parent.external_id == "t1"  # answers the customer, not the brand


def test_a_failed_delivery_marks_the_reply_failed_with_the_reason(alice, twitter):
    empty = Conversation.objects.create(
        channel=twitter, started_at=twitter.created_at, last_activity_at=twitter.created_at
    )
    reply = send_reply(alice, empty, SUPPORT)
    assert deliver_now(reply) == "failed"
    assert reply.status == "failed"
    assert "no message to answer" in reply.error
    assert Event.objects.filter(kind="reply.failed", conversation_id=empty.pk).exists()


def test_deliver_due_replies_catches_up_replies_whose_task_was_lost(alice, dana_asks, capsys):
    due = send_reply(alice, dana_asks, SUPPORT)
    later = send_reply(alice, dana_asks, "And one more thing.", acknowledge_warnings=True)
    Reply.objects.filter(pk=due.pk).update(send_after=due.created_at - timedelta(seconds=1))
    call_command("deliver_due_replies")
    assert "1 sent" in capsys.readouterr().out
    assert Reply.objects.get(pk=due.pk).status == "sent"
    assert Reply.objects.get(pk=later.pk).status == "scheduled"


@pytest.mark.parametrize("text", ["", "   ", "x" * 10_001, "bad \x00 byte"])
def test_empty_or_unstorable_text_is_refused(alice, dana_asks, text):
    with pytest.raises(BadText):
        send_reply(alice, dana_asks, text)
    assert not Reply.objects.exists()


def test_eve_the_moderator_and_bob_the_ambassador_cannot_reply_here(eve, bob, dana_asks):
    for person in (eve, bob):
        with pytest.raises(Forbidden):
            send_reply(person, dana_asks, SUPPORT)


def test_bob_replies_only_on_community_questions_assigned_to_him(bob, community_question):
    with pytest.raises(Forbidden):
        send_reply(bob, community_question, "Hold the button for 5 seconds.")
    Conversation.objects.filter(pk=community_question.pk).update(assignee=bob)
    community_question.refresh_from_db()
    assert send_reply(bob, community_question, "Hold the button for 5 seconds.").status == "scheduled"


def test_a_closed_conversation_takes_no_reply(alice, carol, dana_asks, client, bearer):
    from townsquare.replies.send import ConversationClosed
    from townsquare.replies.status import change_status

    change_status(carol, dana_asks, "closed")
    with pytest.raises(ConversationClosed):
        send_reply(alice, dana_asks, SUPPORT)
    response = client.post(
        f"/api/v1/conversations/{dana_asks.pk}/replies",
        {"text": SUPPORT},
        content_type="application/json",
        headers=bearer(alice),
    )
    assert response.status_code == 409 and "closed" in response.json()["detail"]
    assert not Reply.objects.exists()
