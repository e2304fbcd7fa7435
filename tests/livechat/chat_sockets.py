"""A visitor's chat socket against the real ASGI application (townsquare.asgi), in the same process."""

import asyncio
import json

from asgiref.testing import ApplicationCommunicator
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.test import Client

from townsquare.asgi import application

SHOP = "https://shop.example"
TIMEOUT = 3


class ChatSocket(ApplicationCommunicator):
    """channels.testing needs daphne; this speaks the same ASGI WebSocket events."""

    def __init__(
        self, channel_id: int, token: str = "", *, origin: str | None = SHOP, address: str = "198.51.100.7"
    ):
        headers = [(b"host", b"testserver")]
        if origin is not None:
            headers.append((b"origin", origin.encode()))
        scope = {
            "type": "websocket",
            "path": f"/ws/livechat/{channel_id}/",
            "query_string": f"token={token}".encode(),
            "headers": headers,
            "client": (address, 50000),
        }
        super().__init__(application, scope)

    async def open(self) -> int | None:
        """None when the socket is accepted and stays open, else the close code."""
        await self.send_input({"type": "websocket.connect"})
        response = await self.receive_output(TIMEOUT)
        if response["type"] == "websocket.close":
            return response.get("code", 1000)
        assert response["type"] == "websocket.accept", response
        # A refused socket is accepted, then closed with a code the widget can show.
        if await self.receive_nothing(0.2):
            return None
        follow = await self.receive_output(TIMEOUT)
        assert follow["type"] == "websocket.close", follow
        return follow.get("code")

    async def send(self, frame) -> None:
        text = frame if isinstance(frame, str) else json.dumps(frame)
        await self.send_input({"type": "websocket.receive", "text": text})

    async def receive(self, timeout: float = TIMEOUT) -> dict:
        response = await self.receive_output(timeout)
        if response["type"] == "websocket.close":
            return {"closed": response.get("code")}
        assert response["type"] == "websocket.send", response
        return json.loads(response["text"])

    async def receive_until(self, kind: str, timeout: float = TIMEOUT) -> list[dict]:
        """Frames up to and including the first of this type."""
        frames = []
        while True:
            frame = await self.receive(timeout)
            frames.append(frame)
            if frame.get("type") == kind or "closed" in frame:
                return frames

    async def hello(self, last_id: int = 0) -> list[dict]:
        await self.send({"type": "hello", "last_id": last_id})
        return await self.receive_until("ready")

    async def say(self, text: str, client_id: str) -> dict:
        await self.send({"type": "message", "client_id": client_id, "text": text})
        return await self.receive()

    async def silent(self, timeout: float = 0.3) -> bool:
        return await self.receive_nothing(timeout)

    async def close(self) -> None:
        await self.send_input({"type": "websocket.disconnect", "code": 1000})
        await self.wait(TIMEOUT)


class Listener:
    """A channel-layer listener in a group, as the console's socket would be."""

    def __init__(self, group: str):
        self.group = group
        self.layer = get_channel_layer()
        self.name = None

    async def __aenter__(self):
        self.name = await self.layer.new_channel()
        await self.layer.group_add(self.group, self.name)
        return self

    async def __aexit__(self, *exc):
        await self.layer.group_discard(self.group, self.name)

    async def receive(self, timeout: float = TIMEOUT) -> dict:
        return await asyncio.wait_for(self.layer.receive(self.name), timeout)

    async def receive_type(self, kind: str, timeout: float = TIMEOUT) -> dict:
        while True:
            event = await self.receive(timeout)
            if event.get("type") == kind:
                return event


def run(scenario):
    """Run an async scenario on a fresh loop (the sync test keeps its DB connection)."""
    from asgiref.sync import async_to_sync

    async def fresh():
        layer = get_channel_layer()
        if isinstance(layer, InMemoryChannelLayer):
            await layer.flush()  # (a Redis layer is shared with other processes: its prefix is per test)
        return await scenario()

    return async_to_sync(fresh)()


def start_session(channel, origin: str | None = SHOP, **body) -> dict:
    """What the widget does first: POST /livechat/<id>/session (JSON)."""
    headers = {"HTTP_ORIGIN": origin} if origin else {}
    response = Client().post(
        f"/livechat/{channel.pk}/session", body, content_type="application/json", **headers
    )
    assert response.status_code == 200, response.content
    return response.json()
