"""Dana's typing and reading reach the agents who have her chat open; the agent's do reach her."""

import pytest

from tests.livechat.chat_sockets import ChatSocket, Listener, run, start_session
from townsquare.livechat.models import ChatSession
from townsquare.realtime.publish import apublish, chat_conversation_group, conversation_group

pytestmark = pytest.mark.django_db(transaction=True)


def test_typing_and_read_go_to_the_console_and_the_receipt_is_kept(shop_chat):
    token = start_session(shop_chat)["token"]

    async def scenario():
        socket = ChatSocket(shop_chat.pk, token)
        await socket.open()
        await socket.hello()
        ack = await socket.say("Hello", "c-1")
        conversation_id = ack and (await _conversation_of(ack["id"]))
        async with Listener(conversation_group(conversation_id)) as console:
            await socket.send({"type": "typing", "on": True})
            await socket.send({"type": "typing", "on": True})  # repeated at once: not forwarded again
            await socket.send({"type": "typing", "on": False})
            await socket.send({"type": "read", "up_to": ack["id"]})
            await socket.send({"type": "read", "up_to": ack["id"] - 1})  # never backwards
            events = [await console.receive() for _ in range(3)]
            quiet = await _nothing(console)
        await socket.close()
        return conversation_id, ack, events, quiet

    conversation_id, ack, events, quiet = run(scenario)
    assert events == [
        {"type": "console.typing", "conversation": conversation_id, "who": "customer", "on": True},
        {"type": "console.typing", "conversation": conversation_id, "who": "customer", "on": False},
        {"type": "console.read", "conversation": conversation_id, "by": "customer", "up_to": ack["id"]},
    ]
    assert quiet
    assert ChatSession.objects.get().customer_read_up_to == ack["id"]


def test_the_agents_typing_and_read_receipt_reach_the_visitor(shop_chat):
    token = start_session(shop_chat)["token"]

    async def scenario():
        socket = ChatSocket(shop_chat.pk, token)
        await socket.open()
        await socket.hello()
        ack = await socket.say("Hello", "c-1")
        group = chat_conversation_group(await _conversation_of(ack["id"]))
        await apublish(group, {"type": "chat.typing", "who": "agent", "name": "Alice", "on": True})
        typing = await socket.receive()
        await apublish(group, {"type": "chat.read", "by": "agent", "up_to": ack["id"]})
        read = await socket.receive()
        await socket.close()
        return ack, typing, read

    ack, typing, read = run(scenario)
    assert typing == {"type": "typing", "who": "agent", "name": "Alice", "on": True}
    assert read == {"type": "read", "by": "agent", "up_to": ack["id"]}


def test_typing_before_the_first_message_goes_nowhere(shop_chat):
    token = start_session(shop_chat)["token"]

    async def scenario():
        socket = ChatSocket(shop_chat.pk, token)
        await socket.open()
        await socket.hello()
        await socket.send({"type": "typing", "on": True})
        await socket.send({"type": "typing", "on": "yes"})
        reply = await socket.receive()
        await socket.close()
        return reply

    assert run(scenario)["code"] == "bad_frame"


async def _conversation_of(message_id: int) -> int:
    from channels.db import database_sync_to_async

    from townsquare.inbox.models import Message

    return await database_sync_to_async(lambda: Message.objects.get(pk=message_id).conversation_id)()


async def _nothing(listener: Listener) -> bool:
    try:
        await listener.receive(timeout=0.3)
    except TimeoutError:
        return True
    return False
