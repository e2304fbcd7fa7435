"""No agent is online: Dana leaves her email and a message. It lands in her chat's conversation;
the email is kept unverified (it never merges her with another customer)."""

import pytest
from django.test import Client

from tests.livechat.chat_sockets import SHOP, start_session
from townsquare.events.models import Event
from townsquare.inbox.models import Message
from townsquare.livechat.models import ChatSession

pytestmark = pytest.mark.django_db


def leave(channel, origin=SHOP, **body):
    return Client().post(
        f"/livechat/{channel.pk}/offline", body, content_type="application/json", HTTP_ORIGIN=origin
    )


def test_an_offline_message_is_stored_in_the_chat_with_an_unverified_email(shop_chat):
    response = leave(shop_chat, email="Dana@Example.org", name="Dana", text="Call me back about order 48213")
    assert response.status_code == 201, response.content
    message = Message.objects.get()
    assert response.json()["id"] == message.pk and response.json()["token"]
    assert message.text == "Call me back about order 48213"
    assert message.raw["offline"] is True
    session = ChatSession.objects.get()
    assert (session.email, session.email_verified, session.name) == ("dana@example.org", False, "Dana")
    assert session.conversation_id == message.conversation_id
    assert session.identity.email == "dana@example.org" and not session.identity.email_verified
    assert message.author.display_name == "Dana"
    event = Event.objects.get(kind="livechat.offline_message")
    assert (event.conversation_id, event.message_id) == (message.conversation_id, message.pk)
    assert "dana" not in str(event.data).lower()


def test_with_a_token_it_joins_the_visitors_chat(shop_chat):
    token = start_session(shop_chat)["token"]
    leave(shop_chat, email="dana@example.org", text="first", token=token, client_id="o-1")
    leave(shop_chat, email="dana@example.org", text="second", token=token, client_id="o-2")
    assert ChatSession.objects.count() == 1
    first, second = Message.objects.order_by("id")
    assert first.conversation_id == second.conversation_id and second.parent_id == first.pk


def test_a_resent_form_is_stored_once(shop_chat):
    token = start_session(shop_chat)["token"]
    one = leave(shop_chat, email="dana@example.org", text="hello", token=token, client_id="o-1")
    two = leave(shop_chat, email="dana@example.org", text="hello", token=token, client_id="o-1")
    assert (one.status_code, two.status_code) == (201, 200)
    assert Message.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"text": "hello"}, "email is required"),
        ({"email": "not-an-address", "text": "hello"}, "not an email address"),
        ({"email": "dana@example.org", "text": "  "}, "empty"),
        ({"email": "dana@example.org"}, "text must be a string"),
        ({"email": "dana@example.org", "text": "hi", "name": 5}, "name must be text"),
    ],
)
def test_bad_forms_are_400_with_the_reason(shop_chat, body, reason):
    response = leave(shop_chat, **body)
    assert response.status_code == 400
    assert reason in response.json()["error"]
    assert not Message.objects.exists()


def test_too_many_offline_messages_from_one_address_are_429(shop_chat, settings):
    settings.LIVECHAT_OFFLINE_PER_IP_HOUR = 1
    assert leave(shop_chat, email="dana@example.org", text="one").status_code == 201
    response = leave(shop_chat, email="dana@example.org", text="two")
    assert response.status_code == 429 and "Retry-After" in response


def test_a_page_the_channel_does_not_allow_is_403(shop_chat):
    assert leave(shop_chat, origin="https://evil.example", email="d@example.org", text="x").status_code == 403
