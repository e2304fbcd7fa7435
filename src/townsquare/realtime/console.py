"""The agent console's WebSocket: live message, typing and read events for what the user may see."""

from channels.auth import AuthMiddlewareStack
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.security.websocket import AllowedHostsOriginValidator


class ConsoleConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        await self.close(code=4503)


def console_application():
    return AllowedHostsOriginValidator(AuthMiddlewareStack(ConsoleConsumer.as_asgi()))
