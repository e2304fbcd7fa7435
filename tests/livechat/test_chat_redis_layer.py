"""With Redis (channels-redis) the chat works across web processes: a visitor's message reaches a
console in another process, and an agent's reply published by another process reaches her socket."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from channels.db import database_sync_to_async

from tests.livechat.agent_replies import reply_and_deliver
from tests.livechat.chat_sockets import ChatSocket, Listener, run, start_session
from townsquare.realtime.publish import CONSOLE_GROUP, chat_conversation_group

pytestmark = pytest.mark.django_db(transaction=True)
REDIS_URL = "redis://127.0.0.1:6379/0"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def redis_layer(settings):
    prefix = f"ts-chat-test-{uuid.uuid4().hex[:8]}"
    settings.CHANNEL_LAYER = "redis"
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": prefix},
        }
    }
    settings.REPLY_UNDO_SECONDS = 0
    return prefix


def peer(prefix: str, *args: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "TOWNSQUARE_CHANNEL_LAYER": "redis",
        "REDIS_URL": REDIS_URL,
        "TOWNSQUARE_CHANNEL_PREFIX": prefix,
        "PYTHONPATH": f"{ROOT}:{ROOT / 'src'}",
    }
    env.pop("DATABASE_URL", None)
    return subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("redis_peer.py")), *args],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


def test_a_message_reaches_a_console_in_another_process(shop_chat, redis_layer):
    token = start_session(shop_chat)["token"]
    console = peer(redis_layer, "listen", CONSOLE_GROUP, "1")
    try:
        assert console.stdout.readline().strip() == "ready"

        async def scenario():
            socket = ChatSocket(shop_chat.pk, token)
            await socket.open()
            await socket.hello()
            ack = await socket.say("Hello from process one", "c-1")
            await socket.close()
            return ack

        ack = run(scenario)
        heard = json.loads(console.stdout.readline())
        assert console.wait(timeout=10) == 0
    finally:
        console.kill()
    assert heard["type"] == "console.message"
    assert heard["message"] == ack["id"] and heard["client_id"] == "c-1"


def test_a_reply_published_by_another_process_reaches_the_visitor(shop_chat, redis_layer):
    token = start_session(shop_chat)["token"]

    async def scenario():
        socket = ChatSocket(shop_chat.pk, token)
        await socket.open()
        await socket.hello()
        ack = await socket.say("Anyone?", "c-1")
        conversation_id = await database_sync_to_async(_conversation_of)(ack["id"])
        frame = {
            "type": "message",
            "id": ack["id"] + 1000,
            "direction": "out",
            "text": "Yes!",
            "author": "Alice",
            "at": "2026-11-24T07:00:00+00:00",
            "attachments": [],
        }
        other = await database_sync_to_async(peer)(
            redis_layer,
            "publish",
            chat_conversation_group(conversation_id),
            json.dumps({"type": "chat.message", "message": frame}),
        )
        got = await socket.receive(timeout=10)
        await database_sync_to_async(other.wait)(10)
        await socket.close()
        return got, frame

    got, frame = run(scenario)
    assert got == frame


def test_a_delivered_reply_reaches_the_socket_through_redis(shop_chat, alice, redis_layer):
    token = start_session(shop_chat)["token"]

    async def scenario():
        socket = ChatSocket(shop_chat.pk, token)
        await socket.open()
        await socket.hello()
        ack = await socket.say("Hello?", "c-1")
        conversation_id = await database_sync_to_async(_conversation_of)(ack["id"])
        async with Listener(CONSOLE_GROUP) as console:
            await database_sync_to_async(reply_and_deliver)(alice, conversation_id, "Hi Dana")
            got = await socket.receive()
            announced = await console.receive_type("console.message")
        await socket.close()
        return got, announced

    got, announced = run(scenario)
    assert got["text"] == "Hi Dana" and got["direction"] == "out"
    assert announced["direction"] == "out" and announced["message"] == got["id"]


def _conversation_of(message_id: int) -> int:
    from townsquare.inbox.models import Message

    return Message.objects.get(pk=message_id).conversation_id
