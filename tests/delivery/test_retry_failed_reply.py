"""A reply the mail server refused is shown as failed with the reason on the conversation page and in
the API; an agent who may work on the conversation retries it by hand and it goes out."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.delivery.email_fixtures import customer_email, deliver_now
from tests.delivery.smtp_sink import Refusal
from townsquare.events.models import Event
from townsquare.inbox.models import Conversation
from townsquare.people.tokens import create_token
from townsquare.replies.models import Reply
from townsquare.replies.send import send_reply
from townsquare.replies.tasks import deliver_reply_task

pytestmark = pytest.mark.db
HTMX = {"HX-Request": "true"}
REFUSED = "550 5.2.1 Mailbox disabled for dana@customer.test"


def bearer(user) -> dict:
    return {"Authorization": f"Bearer {create_token(user, 'tests')[1]}"}


@pytest.fixture
def refused_reply(alice, support_mailbox, smtp_sink) -> Reply:
    """Alice answered Dana by email; Dana's mail server refused it for good."""
    conversation = customer_email(support_mailbox, "m1@customer.test", "Where is my order?").conversation
    smtp_sink.refuse_rcpt = Refusal(REFUSED, times=1)
    reply = send_reply(alice, conversation, "It ships today.")
    assert deliver_now(reply) == "failed"
    return reply


def conversation_page(client, reply) -> str:
    return client.get(reverse("web:conversation", args=[reply.conversation_id])).content.decode()


def test_the_conversation_page_shows_the_failure_and_a_retry_button(client, alice, refused_reply):
    client.force_login(alice)
    html = conversation_page(client, refused_reply)
    assert 'data-testid="reply-failed"' in html
    assert "Delivery failed:" in html and "Mailbox disabled for dana@customer.test" in html
    assert 'data-testid="retry-reply"' in html


def test_the_api_lists_the_failed_reply_with_its_reason(client, alice, refused_reply):
    url = f"/api/v1/conversations/{refused_reply.conversation_id}/replies"
    [listed] = client.get(url, headers=bearer(alice)).json()
    assert listed["status"] == "failed" and listed["attempts"] == 1
    assert "Mailbox disabled" in listed["error"] and listed["message_id"] is None


def test_alice_retries_from_the_console_and_the_reply_goes_out(
    client, alice, refused_reply, smtp_sink, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(reverse("web:retry-reply", args=[refused_reply.pk]), headers=HTMX)
    assert response.status_code == 200 and "Delivery retried" in response.content.decode()
    refused_reply.refresh_from_db()
    assert (refused_reply.status, refused_reply.error, refused_reply.attempts) == ("scheduled", "", 0)
    assert len(queued) == 1  # the delivery task, enqueued once the retry commits
    retried = Event.objects.get(kind="reply.retried")
    assert retried.actor_id == alice.pk and "Mailbox disabled" in retried.data["previous_error"]
    assert deliver_reply_task.call(refused_reply.pk) == "sent"
    assert len(smtp_sink.messages) == 1
    assert 'data-testid="retry-reply"' not in conversation_page(client, refused_reply)


def test_carol_retries_through_the_api(client, carol, refused_reply, smtp_sink):
    Conversation.objects.filter(pk=refused_reply.conversation_id).update(status="open")
    response = client.post(f"/api/v1/replies/{refused_reply.pk}/retry", headers=bearer(carol))
    assert response.status_code == 200
    assert response.json()["status"] == "scheduled" and response.json()["error"] == ""
    assert deliver_now(refused_reply) == "sent"
    assert smtp_sink.messages[0]["To"] == "dana@customer.test"


def test_only_a_failed_reply_can_be_retried(client, alice, refused_reply):
    Reply.objects.filter(pk=refused_reply.pk).update(status="sent")
    response = client.post(f"/api/v1/replies/{refused_reply.pk}/retry", headers=bearer(alice))
    assert response.status_code == 409 and "only a failed reply" in response.json()["detail"]
    client.force_login(alice)
    page = client.post(reverse("web:retry-reply", args=[refused_reply.pk]), headers=HTMX)
    assert page.status_code == 409
    assert not Event.objects.filter(kind="reply.retried").exists()


def test_a_closed_conversation_takes_no_retry(client, alice, refused_reply):
    Conversation.objects.filter(pk=refused_reply.conversation_id).update(status="closed")
    response = client.post(f"/api/v1/replies/{refused_reply.pk}/retry", headers=bearer(alice))
    assert response.status_code == 409 and "closed" in response.json()["detail"]
    assert Reply.objects.get(pk=refused_reply.pk).status == "failed"


def test_people_who_cannot_work_on_the_conversation_cannot_retry(client, bob, eve, refused_reply):
    url = f"/api/v1/replies/{refused_reply.pk}/retry"
    assert client.post(url, headers=bearer(bob)).status_code == 404  # he cannot see it
    assert client.post(url, headers=bearer(eve)).status_code in (403, 404)
    assert client.post(url).status_code == 401
    assert client.post("/api/v1/replies/999999/retry", headers=bearer(bob)).status_code == 404
    client.force_login(bob)
    assert client.post(reverse("web:retry-reply", args=[refused_reply.pk])).status_code in (403, 404)
    assert Reply.objects.get(pk=refused_reply.pk).status == "failed"


def test_an_ambassador_retries_only_their_own_replies(alice, bob, db):
    from townsquare.inbox.ingest.normalized import InboundMessage
    from townsquare.inbox.ingest.store import store_messages
    from townsquare.inbox.models import Channel, ChannelKind, Message
    from townsquare.inbox.visibility import Forbidden
    from townsquare.replies.retry import retry_reply

    community = Channel.objects.create(name="community", kind=ChannelKind.COMMUNITY)
    question = InboundMessage("q1", "farid", "How do I pair my headphones?", created_at=timezone.now())
    stored = store_messages(community, [question], source="test")
    conversation = Message.objects.get(pk=stored.outcomes[0][2]).conversation
    Conversation.objects.filter(pk=conversation.pk).update(assignee=bob)
    conversation.refresh_from_db()
    staff_reply = Reply.objects.create(conversation=conversation, author=alice, text="Hi", status="failed")
    own_reply = Reply.objects.create(conversation=conversation, author=bob, text="Hold both", status="failed")
    with pytest.raises(Forbidden):
        retry_reply(bob, staff_reply)
    assert retry_reply(bob, own_reply).status == "scheduled"


def test_a_failed_reply_stays_in_view_behind_newer_replies(client, alice, refused_reply):
    from townsquare.replies.templatetags.replies_console import RECENT_REPLIES

    conversation = refused_reply.conversation
    for n in range(RECENT_REPLIES + 2):
        Reply.objects.create(conversation=conversation, author=alice, text=f"later {n}", status="sent")
    client.force_login(alice)
    html = conversation_page(client, refused_reply)
    assert html.count('data-testid="reply-failed"') == 1 and "Mailbox disabled" in html


@pytest.mark.parametrize("statuses", ["ffsssfsfsfff", "ssffffssss", "fffffff", "ss", ""])
def test_the_reply_box_shows_the_newest_replies_and_the_newest_failed_ones(
    alice, refused_reply, monkeypatch, statuses
):
    """One query gives what the two it replaced gave: the newest replies, then the newest failed
    ones behind them (limits made small here: 3 newest, 4 failed)."""
    from townsquare.replies.templatetags import replies_console

    monkeypatch.setattr(replies_console, "RECENT_REPLIES", 3)
    monkeypatch.setattr(replies_console, "FAILED_REPLIES", 4)
    conversation = refused_reply.conversation
    start = refused_reply.created_at
    for n, status in enumerate(statuses):
        status = "failed" if status == "f" else "sent"
        at = start + timedelta(minutes=n + 1 if n % 4 else n // 2)  # some share a minute
        Reply.objects.create(
            conversation=conversation, author=alice, text=f"r{n}", status=status, created_at=at
        )
    shown = conversation.replies.order_by("-created_at", "-id")
    expected = list(shown[:3])
    expected += [reply for reply in shown.filter(status="failed")[:4] if reply not in expected]
    expected.sort(key=lambda reply: (reply.created_at, reply.pk), reverse=True)
    assert replies_console.recent_and_failed(conversation) == expected


def test_the_console_answers_403_when_an_ambassador_retries_someone_elses_reply(client, alice, bob, db):
    from townsquare.inbox.ingest.normalized import InboundMessage
    from townsquare.inbox.ingest.store import store_messages
    from townsquare.inbox.models import Channel, ChannelKind, Message

    community = Channel.objects.create(name="community", kind=ChannelKind.COMMUNITY)
    question = InboundMessage("q1", "farid", "How do I pair my headphones?", created_at=timezone.now())
    stored = store_messages(community, [question], source="test")
    conversation = Message.objects.get(pk=stored.outcomes[0][2]).conversation
    Conversation.objects.filter(pk=conversation.pk).update(assignee=bob)
    staff_reply = Reply.objects.create(conversation=conversation, author=alice, text="Hi", status="failed")
    client.force_login(bob)
    response = client.post(reverse("web:retry-reply", args=[staff_reply.pk]))
    assert response.status_code == 403
    assert Reply.objects.get(pk=staff_reply.pk).status == "failed"
