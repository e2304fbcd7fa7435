"""The livechat connector (see connector.py)."""

from townsquare.connectors.livechat import connector  # noqa: F401  (registers the connector)
