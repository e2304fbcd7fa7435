"""Signing and verifying webhook deliveries: pure functions, no Django.

A sender signs `f"{timestamp}.".encode() + body` with HMAC-SHA256 under the channel's secret and
sends two headers:

    X-Townsquare-Timestamp: 1763633700
    X-Townsquare-Signature: sha256=<hex digest>

The timestamp is inside the signed bytes, so an old delivery cannot be replayed with a new one.
"""

import hashlib
import hmac

SIGNATURE_PREFIX = "sha256="


class SignatureError(ValueError):
    """The delivery is not proven to come from the channel's sender; the message says why."""


def sign(secret: str, timestamp: int | str, body: bytes) -> str:
    """The value of the X-Townsquare-Signature header for this body at this time."""
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode() + body, hashlib.sha256)
    return SIGNATURE_PREFIX + digest.hexdigest()


def verify(
    secret: str,
    timestamp_header: str | None,
    signature_header: str | None,
    body: bytes,
    now: float,
    max_skew: int,
) -> None:
    """Raise SignatureError unless the signature is right and the timestamp is within max_skew of now."""
    if not timestamp_header:
        raise SignatureError("missing X-Townsquare-Timestamp header")
    if not signature_header:
        raise SignatureError("missing X-Townsquare-Signature header")
    timestamp = timestamp_header.strip()
    # Digits only: int() would also accept "+12", " 12" or "1_2", which sign differently.
    if not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > 12:
        raise SignatureError("X-Townsquare-Timestamp must be whole seconds since 1970 (unix time)")
    if abs(now - int(timestamp)) > max_skew:
        raise SignatureError(f"timestamp is more than {max_skew} seconds from now: replayed or stale")
    if not signature_header.startswith(SIGNATURE_PREFIX):
        raise SignatureError("X-Townsquare-Signature must look like sha256=<hex digest>")
    expected = sign(secret, timestamp, body)
    # compare_digest on bytes: constant time, and no TypeError on non-ASCII header values.
    if not hmac.compare_digest(expected.encode(), signature_header.strip().encode("utf-8", "replace")):
        raise SignatureError("signature does not match the body and timestamp")
