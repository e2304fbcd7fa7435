"""Chat session tokens (signed, 30 days) and the host site's signed visitor identity."""

import hashlib
import hmac
import json
import time
import uuid
from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

SESSION_SALT = "townsquare.livechat.session"
SESSION_MAX_AGE_SECONDS = 30 * 24 * 3600
# A host identity signed more than this long ago (or ahead) is refused: a leaked one expires.
IDENTITY_MAX_SKEW_SECONDS = 24 * 3600
MAX_ID_LENGTH = 150
MAX_NAME_LENGTH = 200


class IdentityRejected(ValueError):
    """The host identity is unsigned, wrongly signed, stale or malformed (403 with the reason)."""


@dataclass(frozen=True)
class HostIdentity:
    user_id: str
    email: str
    name: str


def session_token(session_id: uuid.UUID, channel_id: int) -> str:
    return signing.dumps({"s": session_id.hex, "c": channel_id}, salt=SESSION_SALT)


def read_session_token(token, channel_id: int) -> uuid.UUID | None:
    """The session id in a valid, unexpired token for this channel, else None."""
    if not isinstance(token, str) or not token or len(token) > 500:
        return None
    try:
        payload = signing.loads(token, salt=SESSION_SALT, max_age=SESSION_MAX_AGE_SECONDS)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    if not isinstance(payload, dict) or payload.get("c") != channel_id:
        return None
    try:
        return uuid.UUID(hex=payload.get("s"))
    except (TypeError, ValueError, AttributeError):
        return None


def identity_signature(secret: str, identity: dict) -> str:
    """What the host site computes: hex HMAC-SHA256 of the identity as compact, key-sorted JSON."""
    body = json.dumps(identity, sort_keys=True, separators=(",", ":"))
    return hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()


def verify_identity(secret: str, identity, signature, now: float | None = None) -> HostIdentity:
    if not isinstance(identity, dict):
        raise IdentityRejected("identity must be a JSON object")
    if not isinstance(signature, str) or not signature:
        raise IdentityRejected("identity_signature is missing")
    expected = identity_signature(secret, identity)
    if not hmac.compare_digest(expected, signature.strip().lower()):
        raise IdentityRejected("identity_signature does not match the identity")
    ts = identity.get("ts")
    if isinstance(ts, bool) or not isinstance(ts, int | float):
        raise IdentityRejected("identity.ts must be unix seconds")
    now = time.time() if now is None else now
    if abs(now - ts) > IDENTITY_MAX_SKEW_SECONDS:
        raise IdentityRejected("identity.ts is more than 24 hours away: sign the identity again")
    return HostIdentity(
        user_id=_user_id(identity.get("id")),
        email=_email(identity.get("email")),
        name=_name(identity.get("name")),
    )


def _user_id(value) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise IdentityRejected("identity.id must be a string or an integer")
    value = str(value).strip()
    if not value or len(value) > MAX_ID_LENGTH or "\x00" in value:
        raise IdentityRejected(f"identity.id must be 1 to {MAX_ID_LENGTH} characters")
    return value


def _email(value) -> str:
    if value in (None, ""):
        return ""
    if not isinstance(value, str):
        raise IdentityRejected("identity.email must be a string")
    try:
        validate_email(value.strip())
    except ValidationError:
        raise IdentityRejected("identity.email is not an email address") from None
    return value.strip().lower()


def _name(value) -> str:
    if value in (None, ""):
        return ""
    if not isinstance(value, str) or "\x00" in value:
        raise IdentityRejected("identity.name must be a string")
    return value.strip()[:MAX_NAME_LENGTH]
