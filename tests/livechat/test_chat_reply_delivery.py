"""Alice answers Dana's chat. While Dana's chat is open the answer goes to her socket; once she
has left, and she gave an email, the answer also goes by email through the channel's email
channel; without one, the reply fails with a reason the console shows."""

import pytest
from django.utils import timezone

from tests.delivery.email_fixtures import email_channel, smtp_sink  # noqa: F401 (fixture)
from tests.livechat.agent_replies import reply_and_deliver
from tests.livechat.chat_sockets import start_session
from townsquare.connectors.base import ConfigInvalid
from townsquare.connectors.registry import connector_for
from townsquare.inbox.models import Message
from townsquare.livechat.ingest import store_chat_message
from townsquare.livechat.models import ChatSession
from townsquare.livechat.sessions import mark_left
from townsquare.replies.models import Reply, ReplyStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def replies_leave_at_once(settings):
    settings.REPLY_UNDO_SECONDS = 0


def dana_asks(channel, email: str = "") -> ChatSession:
    session = ChatSession.objects.get(pk=start_session(channel)["session"])
    if email:
        ChatSession.objects.filter(pk=session.pk).update(email=email)
    store_chat_message(session.pk, "Is my order on its way?", "c-1")
    return ChatSession.objects.get(pk=session.pk)


def test_while_the_chat_is_open_the_reply_goes_to_the_socket_only(shop_chat, alice, smtp_sink):  # noqa: F811
    email_channel(smtp_sink.port)
    shop_chat.settings = {**shop_chat.settings, "offline_email_channel": "support-email"}
    shop_chat.save()
    session = dana_asks(shop_chat, email="dana@example.org")
    ChatSession.objects.filter(pk=session.pk).update(last_seen_at=timezone.now())
    assert reply_and_deliver(alice, session.conversation_id, "Yes, it ships today") == "sent"
    reply = Reply.objects.get()
    assert reply.message.external_id == f"townsquare-reply-{reply.pk}"
    assert reply.message.conversation_id == session.conversation_id
    assert smtp_sink.received == []


def test_after_the_visitor_left_the_reply_also_goes_by_email(shop_chat, alice, smtp_sink):  # noqa: F811
    email_channel(smtp_sink.port)
    shop_chat.settings = {**shop_chat.settings, "offline_email_channel": "support-email"}
    shop_chat.save()
    session = dana_asks(shop_chat, email="dana@example.org")
    mark_left(session.pk)
    assert reply_and_deliver(alice, session.conversation_id, "Yes, it ships today") == "sent"
    [mail] = smtp_sink.messages
    assert mail["To"] == "dana@example.org"
    assert mail["Subject"] == "Re: your chat with shop chat"
    assert mail.get_content().strip() == "Yes, it ships today"
    assert "+c" in mail["Reply-To"]  # answering the email joins the chat's conversation
    reply = Reply.objects.get()
    assert reply.status == ReplyStatus.SENT
    assert Message.objects.get(pk=reply.message_id).raw["via"] == "email"


def test_a_visitor_who_left_no_email_is_answered_in_the_chat_only(shop_chat, alice):
    session = dana_asks(shop_chat)
    mark_left(session.pk)
    assert reply_and_deliver(alice, session.conversation_id, "Here when you are back") == "sent"


def test_without_an_email_channel_the_reply_fails_with_the_reason(shop_chat, alice):
    session = dana_asks(shop_chat, email="dana@example.org")
    mark_left(session.pk)
    assert reply_and_deliver(alice, session.conversation_id, "Yes") == "failed"
    reply = Reply.objects.get()
    assert reply.status == ReplyStatus.FAILED
    assert "offline_email_channel" in reply.error


def test_the_connector_checks_its_settings(shop_chat):
    shop_chat.settings = {
        "allowed_origins": ["shop.example", "https://ok.example"],
        "agents_online_mode": "sometimes",
        "max_upload_bytes": -1,
        "upload_types": ["exe"],
        "offline_email_channel": "nope",
    }
    with pytest.raises(ConfigInvalid) as caught:
        connector_for(shop_chat).validate()
    assert set(caught.value.fields) == {
        "allowed_origins",
        "agents_online_mode",
        "max_upload_bytes",
        "upload_types",
        "offline_email_channel",
    }
    shop_chat.settings = {
        "allowed_origins": ["*", "https://shop.example:8443"],
        "upload_types": ["png", "pdf"],
    }
    connector_for(shop_chat).validate()


def test_check_reports_the_offline_email_channel(shop_chat, smtp_sink):  # noqa: F811
    assert connector_for(shop_chat).check().ok
    shop_chat.settings = {"offline_email_channel": "support-email"}
    assert not connector_for(shop_chat).check().ok
    email_channel(smtp_sink.port)
    report = connector_for(shop_chat).check()
    assert report.ok and "support-email" in report.detail


def test_an_offline_form_is_answered_by_email(shop_chat, alice, smtp_sink):  # noqa: F811
    from django.test import Client

    from tests.livechat.chat_sockets import SHOP

    email_channel(smtp_sink.port)
    shop_chat.settings = {**shop_chat.settings, "offline_email_channel": "support-email"}
    shop_chat.save()
    left = Client().post(
        f"/livechat/{shop_chat.pk}/offline",
        {"email": "dana@example.org", "text": "Please call me back"},
        content_type="application/json",
        HTTP_ORIGIN=SHOP,
    )
    conversation_id = Message.objects.get(pk=left.json()["id"]).conversation_id
    assert reply_and_deliver(alice, conversation_id, "We will, Dana") == "sent"
    [mail] = smtp_sink.messages
    assert mail["To"] == "dana@example.org" and mail.get_content().strip() == "We will, Dana"
