"""Signing outgoing deliveries, with the same HMAC as inbound webhooks (inbox/webhook.py).

    X-Townsquare-Signature: t=1763633700,v1=<hex HMAC-SHA256 of "1763633700." + body>

The timestamp is inside the signed bytes, so a receiver that refuses old timestamps cannot be
fed a replayed delivery.
"""

from townsquare.inbox.webhook import SIGNATURE_PREFIX, sign


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    digest = sign(secret, timestamp, body).removeprefix(SIGNATURE_PREFIX)
    return f"t={timestamp},v1={digest}"
