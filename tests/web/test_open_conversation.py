"""Alice opens a conversation: the whole thread, who wrote what, and who the customer is."""

from datetime import timedelta

import pytest
from django.urls import reverse

from tests.web.conftest import T0, conversation, identity
from townsquare.inbox.models import Channel, ChannelKind, Conversation, Message

pytestmark = pytest.mark.django_db


def url(conv_id: int) -> str:
    return reverse("web:conversation", args=[conv_id])


@pytest.fixture
def thread(twitter, dana):
    return conversation(
        twitter,
        [("in", "My blender arrived broken"), ("out", "Sorry to hear that, Dana"), ("in", "Order 1234")],
        customer=dana,
        status="open",
        subject="Broken blender",
    )


def test_thread_is_shown_in_order_with_direction_author_and_time(client, alice, thread):
    client.force_login(alice)
    response = client.get(url(thread.pk))
    assert response.status_code == 200
    body = response.content.decode()
    first, reply, second = (body.index(t) for t in ("My blender", "Sorry to hear", "Order 1234"))
    assert first < reply < second
    assert body.count('class="direction">Customer<') == 2
    assert body.count('class="direction">Brand<') == 1
    assert "@dana" in body and "@acme_support" in body
    assert 'datetime="2024-05-01T09:01:00+00:00"' in body
    assert "Broken blender" in body


def test_messages_written_at_the_same_moment_keep_their_stored_order(client, alice, twitter):
    conv = conversation(twitter, [("in", "first")])
    Message.objects.create(
        channel=twitter,
        conversation=conv,
        external_id="same-time",
        direction="in",
        text="second",
        created_at=T0,
        received_at=T0,
    )
    client.force_login(alice)
    body = client.get(url(conv.pk)).content.decode()
    assert body.index("first") < body.index("second")


def test_customer_panel_shows_name_and_identities_per_channel(client, alice, thread, hook, dana):
    identity(hook, "dana@example.org", dana)
    client.force_login(alice)
    body = client.get(url(thread.pk)).content.decode()
    assert 'data-testid="customer-name">Dana Ortiz<' in body
    assert "<dt>twitter</dt>" in body and "@dana_o" in body
    assert "<dt>shop-webhook</dt>" in body and "dana@example.org" in body
    assert 'data-testid="conversation-channel">twitter<' in body


def test_ambassador_never_sees_identities_on_channels_they_cannot_see(client, bob, community, dana):
    email = Channel.objects.create(name="email", kind=ChannelKind.EMAIL)
    identity(email, "dana@example.org", dana)
    conv = conversation(community, [("in", "Descaling tips?")], customer=dana, handle="dana_forum")
    Conversation.objects.filter(pk=conv.pk).update(assignee=bob)  # routed to him
    client.force_login(bob)
    body = client.get(url(conv.pk)).content.decode()
    assert "Descaling tips?" in body
    assert "@dana_forum" in body
    assert "dana@example.org" not in body and "dana_o" not in body


def test_unknown_conversation_is_a_404_page(client, alice, twitter):
    client.force_login(alice)
    response = client.get(url(999_999))
    assert response.status_code == 404
    assert "Not found" in response.content.decode()


def test_conversation_the_user_may_not_see_is_a_404_like_a_missing_one(client, bob, thread):
    client.force_login(bob)
    response = client.get(url(thread.pk))
    assert response.status_code == 404
    assert "My blender" not in response.content.decode()


def test_non_numeric_id_is_a_404(client, alice):
    client.force_login(alice)
    assert client.get("/conversations/abc/").status_code == 404


def test_customer_role_gets_403(client, farid, thread):
    client.force_login(farid)
    response = client.get(url(thread.pk))
    assert response.status_code == 403
    assert "My blender" not in response.content.decode()


def test_anonymous_is_sent_to_login(client, thread):
    response = client.get(url(thread.pk))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url(thread.pk)}"


def test_conversation_without_customer_or_messages_still_opens(client, alice, twitter):
    from townsquare.inbox.models import Conversation

    conv = Conversation.objects.create(
        channel=twitter, started_at=T0, last_activity_at=T0 + timedelta(minutes=1)
    )
    client.force_login(alice)
    body = client.get(url(conv.pk)).content.decode()
    assert "Not linked to a customer yet" in body
    assert "no messages yet" in body
