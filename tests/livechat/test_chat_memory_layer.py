"""The embedded default's in-memory layer sweeps expired messages and memberships once a second
instead of on every message; expiry still happens."""

import asyncio
import time

from townsquare.realtime import memory_layer
from townsquare.realtime.memory_layer import InMemoryChannelLayer


def test_messages_reach_group_members():
    async def scenario():
        layer = InMemoryChannelLayer()
        name = await layer.new_channel()
        await layer.group_add("console", name)
        await layer.group_send("console", {"type": "console.message", "message": 1})
        return await asyncio.wait_for(layer.receive(name), 1)

    assert asyncio.run(scenario()) == {"type": "console.message", "message": 1}


def test_expired_memberships_go_at_the_next_sweep_not_on_every_send(monkeypatch):
    async def scenario():
        layer = InMemoryChannelLayer(group_expiry=1)
        await layer.group_add("console", "specific.inmemory!stale")
        layer.groups["console"]["specific.inmemory!stale"] = time.time() - 10  # joined long ago
        await layer.group_send("other", {"type": "x"})  # the first call sweeps
        after_first = dict(layer.groups["console"])
        await layer.group_add("console", "specific.inmemory!stale2")
        layer.groups["console"]["specific.inmemory!stale2"] = time.time() - 10
        await layer.group_send("other", {"type": "x"})  # within the second: no sweep
        kept = "specific.inmemory!stale2" in layer.groups["console"]
        monkeypatch.setattr(memory_layer, "SWEEP_EVERY_SECONDS", 0.0)
        layer._next_sweep = 0.0
        await layer.group_send("other", {"type": "x"})
        return after_first, kept, dict(layer.groups["console"])

    after_first, kept, finally_ = asyncio.run(scenario())
    assert after_first == {}
    assert kept
    assert finally_ == {}
