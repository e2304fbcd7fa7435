"""Bad input and flooding get clear answers: an error frame for a message that is too long, empty
or sent too fast; a closed socket (4429) for a flood of frames, (4400) for repeated garbage."""

import pytest

from tests.livechat.chat_sockets import ChatSocket, run, start_session
from townsquare.inbox.models import Message

pytestmark = pytest.mark.django_db(transaction=True)


def chat(channel, *frames, hello: bool = True):
    """Send the frames in order; return every frame the server sent back until it went quiet."""
    token = start_session(channel)["token"]

    async def scenario():
        socket = ChatSocket(channel.pk, token)
        assert await socket.open() is None
        if hello:
            await socket.hello()
        replies = []
        for frame in frames:
            await socket.send(frame)
        while not await socket.silent(0.3):
            replies.append(await socket.receive())
            if "closed" in replies[-1]:
                return replies
        await socket.close()
        return replies

    return run(scenario)


def test_a_message_over_the_length_limit_is_refused_with_too_long(shop_chat, settings):
    settings.LIVECHAT_MAX_TEXT = 10
    replies = chat(shop_chat, {"type": "message", "client_id": "c-1", "text": "x" * 11})
    assert replies == [
        {
            "type": "error",
            "code": "too_long",
            "message": "messages are at most 10 characters",
            "client_id": "c-1",
        }
    ]
    assert not Message.objects.exists()


def test_exactly_the_limit_is_fine(shop_chat, settings):
    settings.LIVECHAT_MAX_TEXT = 10
    replies = chat(shop_chat, {"type": "message", "client_id": "c-1", "text": "x" * 10})
    assert replies[0]["type"] == "ack"


def test_an_empty_message_is_refused(shop_chat):
    replies = chat(shop_chat, {"type": "message", "client_id": "c-1", "text": "   \n"})
    assert [(r["type"], r["code"]) for r in replies] == [("error", "empty")]


def test_text_with_a_nul_character_is_a_bad_frame(shop_chat):
    replies = chat(shop_chat, {"type": "message", "client_id": "c-1", "text": "a\x00b"})
    assert [(r["type"], r["code"]) for r in replies] == [("error", "bad_frame")]


def test_a_message_without_a_client_id_is_a_bad_frame(shop_chat):
    replies = chat(
        shop_chat, {"type": "message", "text": "hi"}, {"type": "message", "client_id": "a b", "text": "hi"}
    )
    assert [r["code"] for r in replies] == ["bad_frame", "bad_frame"]


def test_messages_sent_too_fast_are_refused_with_rate_limited(shop_chat, settings):
    settings.LIVECHAT_MESSAGES_PER_WINDOW = 3
    frames = [{"type": "message", "client_id": f"c-{n}", "text": f"spam {n}"} for n in range(5)]
    replies = chat(shop_chat, *frames)
    assert [r["type"] for r in replies] == ["ack", "ack", "ack", "error", "error"]
    assert replies[3]["code"] == "rate_limited" and replies[3]["client_id"] == "c-3"
    assert Message.objects.count() == 3


def test_a_flood_of_frames_closes_the_socket_with_4429(shop_chat, settings):
    settings.LIVECHAT_FRAMES_PER_WINDOW = 5
    replies = chat(shop_chat, *[{"type": "ping"}] * 8, hello=False)
    assert replies[:5] == [{"type": "pong"}] * 5
    assert replies[5] == {"closed": 4429}


def test_repeated_garbage_closes_the_socket_with_4400(shop_chat, settings):
    settings.LIVECHAT_MAX_BAD_FRAMES = 2
    replies = chat(shop_chat, "not json", {"type": "dance"}, [1, 2], {"no": "type"}, hello=False)
    assert [r.get("code") for r in replies[:2]] == ["bad_frame", "bad_frame"]
    assert replies[2:] == [{"closed": 4400}]


def test_a_bad_hello_is_a_bad_frame(shop_chat):
    replies = chat(shop_chat, {"type": "hello", "last_id": "x"}, hello=False)
    assert [r["code"] for r in replies] == ["bad_frame"]


def test_ping_answers_pong(shop_chat):
    assert chat(shop_chat, {"type": "ping"}) == [{"type": "pong"}]


def test_a_huge_frame_is_refused_before_it_is_read(shop_chat, settings):
    settings.LIVECHAT_MAX_TEXT = 100
    replies = chat(shop_chat, '{"type": "message", "client_id": "c-1", "text": "' + "x" * 5000 * 3 + '"}')
    assert [(r["type"], r["code"]) for r in replies] == [("error", "too_long")]
    assert not Message.objects.exists()


def test_no_frame_breaks_the_socket(shop_chat, settings):
    settings.LIVECHAT_MAX_BAD_FRAMES = 100
    nasty = [
        "null",
        "1",
        '"text"',
        "[" * 20000 + "]" * 20000,  # deeper than the JSON parser recurses
        '{"type": "hello", "last_id": Infinity}',
        {"type": None},
        {"type": 5},
        {"type": "message", "client_id": "c-1", "text": None},
        {"type": "message", "client_id": "c-1", "text": {"a": 1}},
        {"type": "message", "client_id": ["c"], "text": "hi"},
        {"type": "hello", "last_id": -1},
        {"type": "read", "up_to": "5"},
        {"type": "read", "up_to": True},
        {"type": "typing"},
    ]
    replies = chat(shop_chat, *nasty, {"type": "ping"})
    assert [r.get("code") for r in replies[:-1]] == ["bad_frame"] * len(nasty)
    assert replies[-1] == {"type": "pong"}
