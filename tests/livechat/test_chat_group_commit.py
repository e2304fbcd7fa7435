"""Many visitors writing at once: their messages are stored together in one transaction, each in its
own chat, threaded in order, a repeated client id once, and one bad message fails no other."""

import asyncio
import uuid

import pytest

from tests.livechat.chat_sockets import ChatSocket, run, start_session
from townsquare.inbox.models import Conversation, Message
from townsquare.livechat.ingest import PendingChat, store_chat_batch
from townsquare.livechat.models import ChatSession
from townsquare.livechat.writer import ChatWriter

pytestmark = pytest.mark.django_db(transaction=True)


def sessions(channel, count: int) -> list[uuid.UUID]:
    return [uuid.UUID(start_session(channel)["session"]) for _ in range(count)]


def test_a_batch_keeps_each_visitor_in_their_own_thread(shop_chat):
    dana, eli = sessions(shop_chat, 2)
    results = store_chat_batch(
        [
            PendingChat(dana, "hi from dana", "d-1"),
            PendingChat(eli, "hi from eli", "e-1"),
            PendingChat(dana, "dana again", "d-2"),
            PendingChat(dana, "dana again", "d-2"),
        ]
    )
    assert [r.duplicate for r in results] == [False, False, False, True]
    assert [r.first for r in results] == [True, True, False, False]
    assert results[3].message_id == results[2].message_id
    assert results[0].conversation_id == results[2].conversation_id != results[1].conversation_id
    d1, d2 = Message.objects.get(pk=results[0].message_id), Message.objects.get(pk=results[2].message_id)
    assert d2.parent_id == d1.pk
    assert ChatSession.objects.get(pk=dana).conversation_id == results[0].conversation_id
    assert Conversation.objects.count() == 2

    later = store_chat_batch([PendingChat(eli, "eli again", "e-2"), PendingChat(dana, "third", "d-3")])
    assert later[0].conversation_id == results[1].conversation_id
    assert Message.objects.get(pk=later[1].message_id).parent_id == d2.pk


def test_the_writer_isolates_a_message_that_cannot_be_stored(shop_chat):
    [dana] = sessions(shop_chat, 1)

    async def scenario():
        writer = ChatWriter()
        return await asyncio.gather(
            writer.store(PendingChat(dana, "fine", "ok-1")),
            writer.store(PendingChat(uuid.uuid4(), "no such session", "x-1")),
            writer.store(PendingChat(dana, "also fine", "ok-2")),
            return_exceptions=True,
        )

    first, failed, second = run(scenario)
    assert isinstance(failed, RuntimeError)
    assert not first.duplicate and not second.duplicate
    assert Message.objects.count() == 2


def test_visitors_sending_at_once_are_all_acknowledged_once(shop_chat, settings):
    settings.LIVECHAT_SOCKETS_PER_IP = 0
    tokens = [start_session(shop_chat)["token"] for _ in range(12)]

    async def scenario():
        sockets = [ChatSocket(shop_chat.pk, token) for token in tokens]
        for socket in sockets:
            await socket.open()
            await socket.hello()
        for round_ in range(3):
            for n, socket in enumerate(sockets):
                await socket.send(
                    {"type": "message", "client_id": f"v{n}-{round_}", "text": f"round {round_}"}
                )
        acks, extra = [], []
        for socket in sockets:
            acks.extend([await socket.receive() for _ in range(3)])
            while not await socket.silent(0.05):
                extra.append(await socket.receive())
        for socket in sockets:
            await socket.close()
        return acks, extra

    acks, extra = run(scenario)
    assert [a["type"] for a in acks] == ["ack"] * 36 and not any(a["duplicate"] for a in acks)
    assert extra == [], "a visitor hears neither her own messages again nor anyone else's"
    assert Message.objects.count() == 36
    assert Conversation.objects.count() == 12
    for conversation in Conversation.objects.all():
        texts = list(conversation.messages.order_by("id").values_list("text", flat=True))
        assert texts == ["round 0", "round 1", "round 2"]
