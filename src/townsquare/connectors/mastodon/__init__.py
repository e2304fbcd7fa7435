"""The mastodon connector (see connector.py)."""

from townsquare.connectors.mastodon import connector  # noqa: F401  (registers the connector)
