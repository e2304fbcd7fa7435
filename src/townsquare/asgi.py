"""ASGI entry point: Django for HTTP, Channels consumers for WebSockets (live chat, live console).

HTTP goes through Django's ASGI handler with its middleware chain and view run in one thread hop
per request (ops/http_handler.py says why).
"""

import os

from townsquare.ops.http_handler import get_http_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "townsquare.settings")
# Django must be set up before the consumers (and the models they import) are.
http_application = get_http_application()

from channels.routing import ProtocolTypeRouter  # noqa: E402

from townsquare.realtime.routing import websocket_application  # noqa: E402

application = ProtocolTypeRouter({"http": http_application, "websocket": websocket_application()})
