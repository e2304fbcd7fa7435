"""Dana chatted on the shop's site and the answer went out by email: her email reply joins the chat's
conversation through the reply token in the address she answered."""

import pytest
from django.utils import timezone

from tests.email.inbound_mails import plain
from townsquare.connectors.email.inbound import receive_email
from townsquare.connectors.email.reply_token import conversation_from_address, reply_address
from townsquare.inbox.ingest.normalized import InboundMessage
from townsquare.inbox.ingest.store import store_messages
from townsquare.inbox.models import Channel, ChannelKind, Conversation, Message
from townsquare.people.models import Identity

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("email_data_dir")]


def chat_conversation() -> Conversation:
    chat = Channel.objects.create(name="site-chat", kind=ChannelKind.LIVECHAT)
    said = InboundMessage(
        external_id="chat:abc:1",
        author_id="visitor-1",
        text="Is the RT-500 in stock?",
        created_at=timezone.now(),
    )
    store_messages(chat, [said], source="livechat")
    return Conversation.objects.get(channel=chat)


def test_an_email_answer_to_a_chat_joins_the_chat_conversation(support):
    conversation = chat_conversation()
    to = reply_address(support, conversation.pk)
    outcome = receive_email(support, plain("Great, I'll order it.", message_id="r@c.test", to=to))
    assert outcome.conversation_id == conversation.pk
    assert outcome.threaded_by == "reply-token"
    message = Message.objects.get(pk=outcome.message_id)
    assert message.channel_id == support.pk  # stored on the email channel, in the chat's conversation
    conversation.refresh_from_db()
    assert conversation.message_count == 2
    assert Conversation.objects.count() == 1


def test_the_sender_address_is_attached_to_the_identity_as_verified(support):
    outcome = receive_email(support, plain("hello", message_id="v@c.test"))
    identity = Identity.objects.get(pk=Message.objects.get(pk=outcome.message_id).author_id)
    assert (identity.email, identity.email_verified) == ("dana@customer.test", True)


def test_reply_addresses_survive_case_changes_and_reject_tampering(support):
    address = reply_address(support, 42)
    assert address.startswith("support+c42-") and address.endswith("@shop.test")
    assert conversation_from_address(support, address.upper()) == 42
    assert conversation_from_address(support, address.replace("c42", "c43")) is None
    assert conversation_from_address(support, "support@shop.test") is None


def test_a_hint_naming_no_conversation_starts_a_new_one(support):
    lost = InboundMessage(
        external_id="lost@c.test",
        author_id="d@c.test",
        text="hi",
        created_at=timezone.now(),
        conversation_id=987654,
    )
    store_messages(support, [lost], source="email")
    assert Message.objects.get(external_id="lost@c.test").conversation_id != 987654
