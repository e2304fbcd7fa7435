"""Mastodon channels: mentions and direct messages of the brand account are polled; replies posted."""

from townsquare.connectors.base import Connector
from townsquare.connectors.registry import register


@register("mastodon")
class MastodonConnector(Connector):
    kind = "mastodon"
    label = "Mastodon"
