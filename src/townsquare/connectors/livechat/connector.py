"""Live chat channels: the widget's WebSocket brings messages in; replies go to the open session."""

from townsquare.connectors.base import Connector
from townsquare.connectors.registry import register


@register("livechat")
class LiveChatConnector(Connector):
    kind = "livechat"
    label = "Live chat"
