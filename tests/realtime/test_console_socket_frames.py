"""What Alice's console page sends on its socket: open a conversation, typing and read marks."""

import asyncio
import json

import pytest
from channels.layers import get_channel_layer

from tests.realtime.console_sockets import console_socket, run, session_cookie
from townsquare.inbox.models import Message
from townsquare.livechat.models import ChatSession
from townsquare.realtime import console

pytestmark = pytest.mark.django_db(transaction=True)


def talk(user, frames: list, *, listen_to: str | None = None, layer_events=()):
    """Send frames on the user's console socket; return (frames back, events heard on `listen_to`)."""
    cookie = session_cookie(user)

    async def scenario():
        layer = get_channel_layer()
        customer = await layer.new_channel()
        if listen_to:
            await layer.group_add(listen_to, customer)
        socket = console_socket(cookie)
        assert (await socket.connect())[0]
        for frame in frames:
            if isinstance(frame, str):
                await socket.send_to(frame)
            else:
                await socket.send_json_to(frame)
        back = await everything_sent(socket)
        for group, event in layer_events:
            await layer.group_send(group, event)
        back += await everything_sent(socket)
        heard = []
        while listen_to:
            try:
                heard.append(await asyncio.wait_for(layer.receive(customer), 0.3))
            except TimeoutError:
                break
        await socket.disconnect()
        return back, heard

    return run(scenario)


async def everything_sent(socket) -> list:
    back = []
    while not await socket.receive_nothing(timeout=0.5):
        output = await socket.receive_output()
        back.append(json.loads(output["text"]) if "text" in output else output)
    return back


def test_opening_a_conversation_joins_its_group(alice, devices_chat):
    typing = {"type": "console.typing", "conversation": devices_chat.pk, "who": "customer", "on": True}
    back, _ = talk(
        alice,
        [{"type": "open", "conversation": devices_chat.pk}],
        layer_events=[(f"conversation.{devices_chat.pk}", typing)],
    )
    assert back == [
        {"type": "opened", "conversation": devices_chat.pk},
        {"type": "typing", "conversation": devices_chat.pk, "who": "customer", "on": True},
    ]


def test_alice_cannot_open_a_conversation_she_may_not_see(alice, billing_chat):
    typing = {"type": "console.typing", "conversation": billing_chat.pk, "who": "customer", "on": True}
    back, _ = talk(
        alice,
        [{"type": "open", "conversation": billing_chat.pk}, {"type": "open", "conversation": 999999}],
        layer_events=[(f"conversation.{billing_chat.pk}", typing)],
    )
    assert [(frame["type"], frame.get("code"), frame["conversation"]) for frame in back] == [
        ("error", "not_found", billing_chat.pk),
        ("error", "not_found", 999999),
    ]


def test_alice_typing_reaches_the_customers_chat(alice, devices_chat):
    _, heard = talk(
        alice,
        [{"type": "typing", "conversation": devices_chat.pk, "on": True}],
        listen_to=f"chatconv.{devices_chat.pk}",
    )
    assert heard == [{"type": "chat.typing", "who": "agent", "name": "Alice", "on": True}]


def test_alice_cannot_type_into_a_chat_she_may_not_see(alice, billing_chat):
    back, heard = talk(
        alice,
        [{"type": "typing", "conversation": billing_chat.pk, "on": True}],
        listen_to=f"chatconv.{billing_chat.pk}",
    )
    assert heard == []
    assert back[0]["code"] == "not_found"


def test_alice_reading_the_thread_marks_it_read_for_the_customer(alice, devices_chat, chat_channel):
    session = ChatSession.objects.create(channel=chat_channel, conversation=devices_chat)
    newest = Message.objects.filter(conversation=devices_chat).order_by("-pk").first().pk
    _, heard = talk(
        alice,
        [
            {"type": "read", "conversation": devices_chat.pk, "up_to": newest + 1000},
            {"type": "read", "conversation": devices_chat.pk, "up_to": newest},
        ],
        listen_to=f"chatconv.{devices_chat.pk}",
    )
    # Narrowed to the conversation's newest message, and sent once: the second mark moves nothing.
    assert heard == [{"type": "chat.read", "by": "agent", "up_to": newest}]
    session.refresh_from_db()
    assert session.agent_read_up_to == newest


def test_a_read_mark_never_moves_back(alice, devices_chat, chat_channel):
    newest = Message.objects.filter(conversation=devices_chat).order_by("-pk").first().pk
    session = ChatSession.objects.create(
        channel=chat_channel, conversation=devices_chat, agent_read_up_to=newest
    )
    _, heard = talk(
        alice,
        [{"type": "read", "conversation": devices_chat.pk, "up_to": newest - 1}],
        listen_to=f"chatconv.{devices_chat.pk}",
    )
    assert heard == []
    session.refresh_from_db()
    assert session.agent_read_up_to == newest


@pytest.mark.parametrize(
    "frame, code",
    [
        ("not json", "bad_frame"),
        ("[1, 2]", "bad_frame"),
        ("[" * 100_000 + "]" * 100_000, "bad_frame"),  # nested past the JSON parser's recursion limit
        ({"type": "shout", "conversation": 1}, "bad_frame"),
        ({"type": "open"}, "bad_frame"),
        ({"type": "open", "conversation": "1"}, "bad_frame"),
        ({"type": "open", "conversation": True}, "bad_frame"),
        ({"type": "open", "conversation": -4}, "bad_frame"),
        ({"type": "typing", "conversation": "DEVICES", "on": "yes"}, "bad_frame"),
        ({"type": "read", "conversation": "DEVICES", "up_to": "all"}, "bad_frame"),
    ],
)
def test_bad_frames_get_an_error_frame_not_a_crash(alice, devices_chat, frame, code):
    if isinstance(frame, dict) and frame.get("conversation") == "DEVICES":
        frame = {**frame, "conversation": devices_chat.pk}
    back, _ = talk(alice, [frame, {"type": "ping"}])
    assert back[0]["type"] == "error" and back[0]["code"] == code and back[0]["message"]
    assert back[1] == {"type": "pong"}


def test_a_flooding_page_is_slowed_then_closed(alice, monkeypatch):
    monkeypatch.setattr(console, "FRAME_SOFT_LIMIT", 3)
    monkeypatch.setattr(console, "FRAME_HARD_LIMIT", 5)
    back, _ = talk(alice, [{"type": "ping"}] * 7)
    assert back[:3] == [{"type": "pong"}] * 3
    assert [frame.get("code") for frame in back[3:]] == ["rate_limited", "rate_limited", 4429]


def test_a_session_record_is_not_needed_to_mark_a_non_chat_conversation_read(alice, devices_chat):
    newest = Message.objects.filter(conversation=devices_chat).order_by("-pk").first().pk
    _, heard = talk(
        alice,
        [{"type": "read", "conversation": devices_chat.pk, "up_to": newest}],
        listen_to=f"chatconv.{devices_chat.pk}",
    )
    assert heard == []


def test_a_page_flooding_with_garbage_is_closed_too(alice, monkeypatch):
    monkeypatch.setattr(console, "FRAME_SOFT_LIMIT", 2)
    monkeypatch.setattr(console, "FRAME_HARD_LIMIT", 3)
    back, _ = talk(alice, ["garbage"] * 5)
    assert [frame.get("code") for frame in back] == ["bad_frame", "bad_frame", "rate_limited", 4429]
