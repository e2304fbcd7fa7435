"""Another web process on the shared Redis layer: `listen GROUP` prints what the group hears (one
JSON line each, after a "ready" line); `publish GROUP EVENT_JSON` publishes through townsquare's
sync `publish` (its background publisher loop, as a task worker would)."""

import asyncio
import json
import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "townsquare.settings")

import django  # noqa: E402

django.setup()

from channels.layers import get_channel_layer  # noqa: E402

from townsquare.realtime import publish  # noqa: E402


async def listen(group: str, count: int) -> None:
    layer = get_channel_layer()
    name = await layer.new_channel()
    await layer.group_add(group, name)
    print("ready", flush=True)
    for _ in range(count):
        event = await asyncio.wait_for(layer.receive(name), 10)
        print(json.dumps(event), flush=True)
    await layer.group_discard(group, name)


def main() -> None:
    mode, group = sys.argv[1], sys.argv[2]
    if mode == "listen":
        asyncio.run(listen(group, int(sys.argv[3])))
    else:
        publish.publish(group, json.loads(sys.argv[3]))
        time.sleep(1.0)  # the publisher thread is a daemon: let it send before the process ends


if __name__ == "__main__":
    main()
