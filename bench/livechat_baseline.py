"""The live chat bench's baseline: a bare `websockets` server that speaks just enough of the protocol.

    python -m bench.livechat_baseline PORT [deflate|none]  (per-message compression, as Townsquare serves)

No Django, no database, no channel layer: a visitor's `hello` gets `ready`, `ping` gets `pong`, and
each `message` is acked and relayed as `{"type": "message", "client_id", ...}` to every socket on
/ws/console/. Driving it with the same load generator as Townsquare gives, in the same run, the
floor that the loopback, the websockets library and JSON cost on this machine.
"""

import asyncio
import itertools
import json
import sys

from websockets.asyncio.server import ServerConnection, serve

agents: set[ServerConnection] = set()
message_ids = itertools.count(1)


async def relay(frame: dict) -> None:
    message_id = next(message_ids)
    event = json.dumps(
        {"type": "message", "message": message_id, "client_id": frame.get("client_id"), "direction": "in"}
    )
    for agent in list(agents):
        try:
            await agent.send(event)
        except Exception:  # noqa: BLE001, S112 - a closed agent socket just stops receiving
            continue


async def visitor(socket: ServerConnection) -> None:
    async for raw in socket:
        frame = json.loads(raw)
        kind = frame.get("type")
        if kind == "hello":
            await socket.send(json.dumps({"type": "ready", "last_id": 0, "agents_online": bool(agents)}))
        elif kind == "ping":
            await socket.send(json.dumps({"type": "pong"}))
        elif kind == "message":
            await relay(frame)
            await socket.send(
                json.dumps({"type": "ack", "client_id": frame.get("client_id"), "duplicate": False})
            )


async def handler(socket: ServerConnection) -> None:
    if socket.request.path.startswith("/ws/console/"):
        agents.add(socket)
        try:
            await socket.wait_closed()
        finally:
            agents.discard(socket)
    else:
        await visitor(socket)


async def main(port: int, compression: str) -> None:
    kwargs = {"compression": None} if compression == "none" else {}
    async with serve(handler, "127.0.0.1", port, ping_interval=None, max_queue=None, **kwargs) as server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else "deflate"))
