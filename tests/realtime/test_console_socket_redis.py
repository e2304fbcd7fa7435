"""On Redis (channels-redis, several web processes) the console socket filters and relays the same."""

import uuid

import pytest
from channels.layers import get_channel_layer

from tests.realtime.console_sockets import console_socket, message_event, run, session_cookie

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def redis_layer(settings):
    settings.CHANNEL_LAYER = "redis"
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": ["redis://127.0.0.1:6379/0"],
                "prefix": f"ts-widget-test-{uuid.uuid4().hex[:8]}",
            },
        }
    }


def test_alice_hears_her_queue_and_not_billing_and_her_typing_reaches_the_chat(
    redis_layer, alice, devices_chat, billing_chat
):
    cookie = session_cookie(alice)

    async def scenario():
        layer = get_channel_layer()
        assert type(layer).__name__ == "RedisChannelLayer"
        customer = await layer.new_channel()
        await layer.group_add(f"chatconv.{devices_chat.pk}", customer)
        socket = console_socket(cookie)
        assert (await socket.connect())[0]
        await layer.group_send("console", message_event(billing_chat.pk, 70))
        await layer.group_send("console", message_event(devices_chat.pk, 71))
        heard = await socket.receive_json_from()
        nothing_else = await socket.receive_nothing(timeout=0.5)
        await socket.send_json_to({"type": "typing", "conversation": devices_chat.pk, "on": True})
        typing = await layer.receive(customer)
        await socket.disconnect()
        return heard, nothing_else, typing

    heard, nothing_else, typing = run(scenario)
    assert (heard["type"], heard["message"]) == ("message", 71)
    assert nothing_else is True
    assert typing == {"type": "chat.typing", "who": "agent", "name": "Alice", "on": True}
