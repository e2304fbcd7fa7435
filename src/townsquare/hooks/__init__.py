"""Outgoing webhooks: signed, retried deliveries of conversation events to subscribers' URLs."""
