"""Email channels: inbound by SMTP/LMTP or `townsquare ingest-email`, replies by SMTP."""

from townsquare.connectors.base import Connector
from townsquare.connectors.registry import register


@register("email")
class EmailConnector(Connector):
    kind = "email"
    label = "Email"
