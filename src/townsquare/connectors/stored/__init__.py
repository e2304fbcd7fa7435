"""Channels with no remote side to send to (file imports, signed webhooks, the community):
a reply is stored as the outbound message, as imported brand replies are."""

from townsquare.connectors.base import Connector, Outgoing, Sent
from townsquare.connectors.registry import register


@register("import", "webhook", "community")
class StoredConnector(Connector):
    label = "Stored only"
    can_send = True

    def send(self, outgoing: Outgoing) -> Sent:
        return Sent(external_id=f"townsquare-reply-{outgoing.reply_id}")
