"""Dana, a visitor on the shop's site, writes in the chat: each message is stored once, threaded
into her chat's conversation, acknowledged, and announced to the agents' console."""

import pytest

from tests.livechat.chat_sockets import ChatSocket, Listener, run, start_session
from townsquare.events.models import Event
from townsquare.inbox.models import Conversation, Message
from townsquare.livechat.models import ChatSession
from townsquare.realtime.publish import CONSOLE_GROUP

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_message_is_acknowledged_stored_and_announced_to_the_console(shop_chat):
    started = start_session(shop_chat)

    async def scenario():
        async with Listener(CONSOLE_GROUP) as console:
            socket = ChatSocket(shop_chat.pk, started["token"])
            assert await socket.open() is None
            frames = await socket.hello()
            assert frames == [{"type": "ready", "last_id": 0, "agents_online": True}]
            ack = await socket.say("Where is my order 48213?", "c-1")
            event = await console.receive_type("console.message")
            await socket.close()
            return ack, event

    ack, event = run(scenario)
    message = Message.objects.get()
    assert ack == {"type": "ack", "client_id": "c-1", "id": message.pk, "duplicate": False}
    assert message.text == "Where is my order 48213?"
    assert message.external_id == f"chat:{started['session']}:c-1"
    assert message.direction == "in"
    session = ChatSession.objects.get()
    assert session.conversation_id == message.conversation_id
    assert session.identity.external_id == f"session:{started['session']}"
    assert message.author_id == session.identity_id
    assert session.identity.display_name == f"Chat visitor {started['session'][:6]}"
    assert event["conversation"] == message.conversation_id
    assert event["message"] == message.pk
    assert event["client_id"] == "c-1"
    assert event["direction"] == "in"
    assert event["channel"] == shop_chat.pk
    assert (event["channel_kind"], event["queue"], event["assignee"]) == ("livechat", None, None)


def test_later_messages_join_the_same_conversation(shop_chat):
    started = start_session(shop_chat)

    async def scenario():
        socket = ChatSocket(shop_chat.pk, started["token"])
        await socket.open()
        await socket.hello()
        acks = [await socket.say(f"line {n}", f"c-{n}") for n in range(3)]
        await socket.close()
        return acks

    acks = run(scenario)
    assert [a["duplicate"] for a in acks] == [False, False, False]
    assert Conversation.objects.count() == 1
    messages = list(Message.objects.order_by("id"))
    assert [m.parent_id for m in messages] == [None, messages[0].pk, messages[1].pk]
    assert Conversation.objects.get().message_count == 3


def test_a_resent_client_id_is_stored_once_and_acknowledged_as_duplicate(shop_chat):
    started = start_session(shop_chat)

    async def scenario():
        socket = ChatSocket(shop_chat.pk, started["token"])
        await socket.open()
        await socket.hello()
        first = await socket.say("Hello?", "same-id")
        again = await socket.say("Hello?", "same-id")
        await socket.close()
        return first, again

    first, again = run(scenario)
    assert again == {"type": "ack", "client_id": "same-id", "id": first["id"], "duplicate": True}
    assert Message.objects.count() == 1


def test_starting_a_session_records_an_event(shop_chat):
    started = start_session(shop_chat)
    event = Event.objects.get(kind="livechat.session_started")
    assert event.channel_id == shop_chat.pk
    assert event.data == {"session": started["session"], "host_identified": False}
