"""The email connector (see connector.py)."""

from townsquare.connectors.email import connector  # noqa: F401  (registers the connector)
