"""Console sockets for the tests: a signed-in browser's cookie on a WebSocket to /ws/console/."""

import asyncio
import json

from asgiref.sync import sync_to_async
from asgiref.testing import ApplicationCommunicator
from channels.layers import get_channel_layer
from django.db import connections
from django.test import Client

from townsquare.realtime.console import console_application

ORIGIN = b"http://testserver"
TIMEOUT = 3


class WebsocketCommunicator(ApplicationCommunicator):
    """A WebSocket client for an ASGI app in the same process (channels.testing needs daphne)."""

    def __init__(self, application, path: str, headers=None):
        path, _, query = path.partition("?")
        scope = {"type": "websocket", "path": path, "query_string": query.encode(), "headers": headers or []}
        super().__init__(application, scope)

    async def connect(self, timeout: float = TIMEOUT):
        """(True, None) when accepted, (False, close code) when refused."""
        await self.send_input({"type": "websocket.connect"})
        response = await self.receive_output(timeout)
        if response["type"] == "websocket.close":
            return False, response.get("code", 1000)
        return True, None

    async def send_to(self, text_data: str) -> None:
        await self.send_input({"type": "websocket.receive", "text": text_data})

    async def send_json_to(self, data) -> None:
        await self.send_to(json.dumps(data))

    async def receive_json_from(self, timeout: float = TIMEOUT):
        response = await self.receive_output(timeout)
        assert response["type"] == "websocket.send", response
        return json.loads(response["text"])

    async def disconnect(self, code: int = 1000, timeout: float = TIMEOUT) -> None:
        await self.send_input({"type": "websocket.disconnect", "code": code})
        await self.wait(timeout)


def session_cookie(user) -> str:
    """Sign the user in the way the login page does (session clocks stamped) and return the cookie."""
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


# The console's own stack (origin check, session auth, consumer), as asgi.py mounts it at /ws/console/.
application = console_application()


def console_socket(cookie: str | None = None, origin: bytes = ORIGIN) -> WebsocketCommunicator:
    headers = [(b"origin", origin), (b"host", b"testserver")]
    if cookie:
        headers.append((b"cookie", f"sessionid={cookie}".encode()))
    return WebsocketCommunicator(application, "/ws/console/", headers=headers)


def run(scenario):
    """Run an async scenario on a fresh loop, with the in-memory layer emptied first."""

    async def fresh():
        await get_channel_layer().flush()
        try:
            return await scenario()
        finally:
            # The consumer's queries ran on asgiref's executor thread: close its connections there,
            # or PostgreSQL refuses to drop the test database at the end.
            await sync_to_async(connections.close_all)()
            layer = get_channel_layer()
            if hasattr(layer, "close_pools"):  # Redis: its connections belong to this loop
                await layer.close_pools()

    return asyncio.run(fresh())


def message_event(conversation_id: int, message_id: int = 1, *, client_id: str | None = None) -> dict:
    return {
        "type": "console.message",
        "conversation": conversation_id,
        "message": message_id,
        "direction": "in",
        "channel": 1,
        "client_id": client_id,
        "at": "2026-11-24T07:00:00+00:00",
    }
