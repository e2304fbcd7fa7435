"""The Redis channel layer as settings build it: idle consumers keep waiting, bursts are not refused."""

import asyncio
import uuid

import pytest
from channels.layers import channel_layers

from townsquare.realtime.redis_layer import redis_layer

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def layer(settings):
    settings.CHANNEL_LAYERS = {"default": redis_layer(REDIS_URL, f"ts-test-{uuid.uuid4().hex[:8]}")}
    channel_layers.backends.clear()
    yield channel_layers["default"]
    channel_layers.backends.clear()


def test_a_consumer_waiting_longer_than_the_blocking_pop_is_not_cut_off(layer):
    """An idle chat or console socket waits in receive(); redis-py's 5 s read timeout used to end it."""

    async def idle_then_served():
        channel = await layer.new_channel()
        waiting = asyncio.ensure_future(layer.receive(channel))
        await asyncio.sleep(7)
        assert not waiting.done(), waiting.exception() if waiting.done() else None
        await layer.send(channel, {"type": "ping"})
        return await asyncio.wait_for(waiting, 5)

    assert asyncio.run(idle_then_served()) == {"type": "ping"}


def test_a_burst_of_group_sends_is_not_refused_by_the_connection_pool(layer):
    async def burst():
        channel = await layer.new_channel()
        await layer.group_add("console", channel)
        await asyncio.gather(*(layer.group_send("console", {"type": "m", "n": n}) for n in range(300)))
        received = [await asyncio.wait_for(layer.receive(channel), 5) for _ in range(100)]
        await layer.flush()
        return received

    assert len(asyncio.run(burst())) == 100


def test_a_socket_a_moment_behind_loses_nothing_of_a_burst(layer):
    """channels_redis keeps 100 messages per channel by default and drops the rest silently."""

    async def burst():
        channel = await layer.new_channel()
        await layer.group_add("console", channel)
        for n in range(500):
            await layer.group_send("console", {"type": "m", "n": n})
        received = [(await asyncio.wait_for(layer.receive(channel), 5))["n"] for _ in range(500)]
        await layer.flush()
        return received

    assert asyncio.run(burst()) == list(range(500))
