"""Console sockets hear about new messages, typing and failed replies only where the user may look."""

import pytest
from channels.layers import get_channel_layer

from tests.realtime.console_sockets import console_socket, message_event, run, session_cookie
from townsquare.inbox.models import Channel, ChannelKind
from townsquare.realtime.console_access import VisibilityCache

pytestmark = pytest.mark.django_db(transaction=True)


def frames_heard(user, events: list[tuple[str, dict]]) -> list[dict]:
    """Send the events through the layer, then a marker for a conversation everyone sees; return
    every frame the user's socket got before the marker."""
    cookie = session_cookie(user)

    async def scenario():
        socket = console_socket(cookie)
        assert (await socket.connect())[0]
        layer = get_channel_layer()
        for group, event in events:
            await layer.group_send(group, event)
        heard = []
        while not await socket.receive_nothing(timeout=0.5):
            heard.append(await socket.receive_json_from())
        await socket.disconnect()
        return heard

    return run(scenario)


def test_alice_hears_of_a_new_message_in_her_queue_live(alice, devices_chat):
    heard = frames_heard(alice, [("console", message_event(devices_chat.pk, 41, client_id="c-1"))])
    assert heard == [
        {
            "type": "message",
            "conversation": devices_chat.pk,
            "message": 41,
            "direction": "in",
            "channel": 1,
            "client_id": "c-1",
            "at": "2026-11-24T07:00:00+00:00",
        }
    ]


def test_alice_never_hears_of_a_conversation_in_a_queue_she_does_not_work(alice, devices_chat, billing_chat):
    typing = {"type": "console.typing", "conversation": billing_chat.pk, "who": "customer", "on": True}
    failed = {
        "type": "console.reply_failed",
        "conversation": billing_chat.pk,
        "reply": 3,
        "error": "smtp down",
    }
    read = {"type": "console.read", "conversation": billing_chat.pk, "by": "customer", "up_to": 9}
    heard = frames_heard(
        alice,
        [
            ("console", message_event(billing_chat.pk, 50)),
            ("console", typing),
            ("console", failed),
            ("console", read),
            ("console", message_event(devices_chat.pk, 51)),
        ],
    )
    assert [(frame["type"], frame["conversation"]) for frame in heard] == [("message", devices_chat.pk)]


def test_carol_the_supervisor_hears_typing_read_and_failed_replies_everywhere(
    carol, devices_chat, billing_chat
):
    typing = {"type": "console.typing", "conversation": billing_chat.pk, "who": "customer", "on": True}
    failed = {
        "type": "console.reply_failed",
        "conversation": devices_chat.pk,
        "reply": 3,
        "error": "smtp down",
    }
    read = {"type": "console.read", "conversation": billing_chat.pk, "by": "customer", "up_to": 9}
    heard = frames_heard(carol, [("console", typing), ("console", failed), ("console", read)])
    assert heard == [
        {"type": "typing", "conversation": billing_chat.pk, "who": "customer", "on": True},
        {"type": "reply_failed", "conversation": devices_chat.pk, "reply": 3, "error": "smtp down"},
        {"type": "read", "conversation": billing_chat.pk, "by": "customer", "up_to": 9},
    ]


def test_bob_the_ambassador_never_hears_of_chats_only_his_community_conversations(bob, devices_chat):
    from tests.web.care_builders import care_conversation

    forum = Channel.objects.create(name="forum", kind=ChannelKind.COMMUNITY)
    his = care_conversation(forum, "How do I pair two speakers?", assignee=bob)
    not_his = care_conversation(forum, "Firmware question")
    heard = frames_heard(
        bob,
        [
            ("console", message_event(devices_chat.pk, 60)),
            ("console", message_event(not_his.pk, 61)),
            ("console", message_event(his.pk, 62)),
        ],
    )
    assert [frame["message"] for frame in heard] == [62]


def test_events_without_a_conversation_id_are_dropped(carol, devices_chat):
    heard = frames_heard(
        carol,
        [
            ("console", {"type": "console.message", "conversation": "1; drop table", "message": 1}),
            ("console", {"type": "console.message", "message": 2}),
            ("console", message_event(devices_chat.pk, 3)),
        ],
    )
    assert [frame["message"] for frame in heard] == [3]


def test_a_burst_of_messages_in_one_conversation_asks_the_database_once(alice, devices_chat, monkeypatch):
    asked = []
    original = VisibilityCache.ask

    def counting_ask(self, conversation_id):
        asked.append(conversation_id)
        return original(self, conversation_id)

    monkeypatch.setattr(VisibilityCache, "ask", counting_ask)
    burst = [("console", message_event(devices_chat.pk, 100 + n)) for n in range(50)]
    heard = frames_heard(alice, burst)
    assert [frame["message"] for frame in heard] == list(range(100, 150))
    assert asked == [devices_chat.pk]


def test_a_cached_answer_expires_after_a_few_seconds(alice, devices_chat, monkeypatch):
    cache = VisibilityCache(alice, ttl=5)
    clock = [1000.0]
    monkeypatch.setattr("townsquare.realtime.console_access.time.monotonic", lambda: clock[0])
    assert cache.cached(devices_chat.pk) is None
    assert cache.ask(devices_chat.pk) is True
    assert cache.cached(devices_chat.pk) is True
    clock[0] += 6
    assert cache.cached(devices_chat.pk) is None
