"""WebSocket routes: the live chat widget (any origin the channel allows) and the agent console."""

from channels.routing import URLRouter
from django.urls import path


def websocket_application():
    from townsquare.livechat.consumers import ChatConsumer
    from townsquare.realtime.console import console_application

    return URLRouter(
        [
            # The widget runs on the brand's own site: the consumer checks the Origin against the
            # channel's allowed origins itself, so no host validator wraps it.
            path("ws/livechat/<int:channel_id>/", ChatConsumer.as_asgi()),
            path("ws/console/", console_application()),
        ]
    )
