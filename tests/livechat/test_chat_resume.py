"""Dana's connection drops mid-chat. When the widget reconnects with its token it says which
message it has last, gets everything newer once, and re-sends what was never acknowledged:
nothing is lost and nothing is doubled, and the agent's replies arrive live."""

import pytest
from channels.db import database_sync_to_async

from tests.livechat.agent_replies import reply_and_deliver
from tests.livechat.chat_sockets import ChatSocket, run, start_session
from townsquare.inbox.models import Message

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def replies_leave_at_once(settings):
    settings.REPLY_UNDO_SECONDS = 0


def test_resume_replays_what_was_missed_once_and_a_resent_message_is_not_doubled(shop_chat, alice):
    token = start_session(shop_chat)["token"]
    deliver = database_sync_to_async(reply_and_deliver)

    async def scenario():
        first = ChatSocket(shop_chat.pk, token)
        await first.open()
        await first.hello()
        m1 = await first.say("My parcel is late", "c-1")
        m2 = await first.say("Order 48213", "c-2")
        await first.close()  # the connection drops before the widget saw the ack of c-2
        conversation_id = await database_sync_to_async(
            lambda: Message.objects.get(pk=m1["id"]).conversation_id
        )()
        assert await deliver(alice, conversation_id, "We are on it, Dana") == "sent"

        second = ChatSocket(shop_chat.pk, token)
        assert await second.open() is None
        replayed = await second.hello(last_id=m1["id"])
        resent = await second.say("Order 48213", "c-2")
        await deliver(alice, conversation_id, "It ships today")
        live = await second.receive()
        quiet = await second.silent()
        await second.close()
        return m1, m2, replayed, resent, live, quiet

    m1, m2, replayed, resent, live, quiet = run(scenario)
    reply = Message.objects.get(text="We are on it, Dana")
    assert [f["type"] for f in replayed] == ["message", "message", "ready"]
    assert replayed[0]["id"] == m2["id"] and replayed[0]["client_id"] == "c-2"
    assert replayed[0]["direction"] == "in" and replayed[0]["text"] == "Order 48213"
    assert replayed[1]["id"] == reply.pk and replayed[1]["direction"] == "out"
    assert replayed[1]["text"] == "We are on it, Dana" and replayed[1]["author"] == "Alice"
    assert "client_id" not in replayed[1]
    assert replayed[2]["last_id"] == reply.pk
    assert resent == {"type": "ack", "client_id": "c-2", "id": m2["id"], "duplicate": True}
    assert live["type"] == "message" and live["text"] == "It ships today" and live["direction"] == "out"
    assert quiet, "each message reaches the socket once"
    assert Message.objects.filter(direction="in").count() == 2
    assert Message.objects.filter(direction="out").count() == 2


def test_hello_from_scratch_replays_the_whole_chat_in_order(shop_chat):
    token = start_session(shop_chat)["token"]

    async def scenario():
        first = ChatSocket(shop_chat.pk, token)
        await first.open()
        await first.hello()
        ids = [(await first.say(f"line {n}", f"c-{n}"))["id"] for n in range(4)]
        await first.close()
        second = ChatSocket(shop_chat.pk, token)
        await second.open()
        frames = await second.hello(last_id=0)
        await second.close()
        return ids, frames

    ids, frames = run(scenario)
    assert [f.get("id") for f in frames[:-1]] == ids
    assert frames[-1] == {"type": "ready", "last_id": ids[-1], "agents_online": True}


def test_two_tabs_of_one_session_both_see_the_agents_reply(shop_chat, alice):
    token = start_session(shop_chat)["token"]
    deliver = database_sync_to_async(reply_and_deliver)

    async def scenario():
        tab_a, tab_b = ChatSocket(shop_chat.pk, token), ChatSocket(shop_chat.pk, token)
        await tab_a.open()
        await tab_b.open()
        await tab_a.hello()
        await tab_b.hello()
        ack = await tab_a.say("Anyone there?", "c-1")
        seen_by_b = await tab_b.receive()  # b joins the new conversation and hears a's message
        conversation_id = await database_sync_to_async(
            lambda: Message.objects.get(pk=ack["id"]).conversation_id
        )()
        await deliver(alice, conversation_id, "Yes, hello!")
        got_a, got_b = await tab_a.receive(), await tab_b.receive()
        await tab_a.close()
        await tab_b.close()
        return ack, seen_by_b, got_a, got_b

    ack, seen_by_b, got_a, got_b = run(scenario)
    assert seen_by_b["type"] == "message" and seen_by_b["id"] == ack["id"]
    assert got_a["text"] == got_b["text"] == "Yes, hello!"
