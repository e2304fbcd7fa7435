"""Personal API tokens: create, revoke, and find the user a token belongs to.

A token is `ts_` + 43 URL-safe characters. Only its SHA-256 is stored; the plaintext is returned
once by `create_token` and never again. The first characters are kept as a prefix so that
people can tell their tokens apart in lists.
"""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from townsquare.events.log import record
from townsquare.people.models import ApiToken, User

TOKEN_PREFIX = "ts_"  # noqa: S105 (a marker, not a secret)
PREFIX_LENGTH = 10
# Writing last_used_at on every request would turn each read into a write; once a minute is enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenError(ValueError):
    """A token operation that cannot be done; the message says why."""


def hash_token(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode("utf-8")).hexdigest()


def create_token(user: User, name: str = "", *, actor: User | None = None) -> tuple[ApiToken, str]:
    """Make a new token for user; returns the row and the plaintext (shown once)."""
    name = (name or "").strip()
    if len(name) > ApiToken._meta.get_field("name").max_length:
        raise TokenError("token name is longer than 100 characters")
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name, prefix=plaintext[:PREFIX_LENGTH], token_hash=hash_token(plaintext)
        )
        record(
            "token.created",
            actor=actor or user,
            data={"token_id": token.pk, "user_id": user.pk, "prefix": token.prefix, "name": name},
        )
    return token, plaintext


def revoke_token(token: ApiToken, *, actor: User | None = None) -> ApiToken:
    """Revoke a token; revoking one that is already revoked changes nothing and writes no event."""
    with transaction.atomic():
        # Conditional update: two concurrent revokes write one event, not two.
        now = timezone.now()
        changed = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now)
        if changed:
            record(
                "token.revoked",
                actor=actor or token.user_id,
                data={"token_id": token.pk, "user_id": token.user_id, "prefix": token.prefix},
            )
    token.refresh_from_db(fields=["revoked_at"])
    return token


def find_active_by_prefix(prefix: str) -> ApiToken:
    """The one unrevoked token starting with prefix; raise TokenError if none or several match."""
    prefix = prefix.strip()
    if len(prefix) < len(TOKEN_PREFIX) + 4:
        raise TokenError(f"prefix {prefix!r} is too short; give at least {len(TOKEN_PREFIX) + 4} characters")
    candidates = list(
        ApiToken.objects.filter(prefix__startswith=prefix[:PREFIX_LENGTH], revoked_at__isnull=True)
        .select_related("user")
        .order_by("id")[:2]
    )
    if not candidates:
        raise TokenError(f"no active token with prefix {prefix!r}")
    if len(candidates) > 1:
        raise TokenError(f"several active tokens start with {prefix!r}; use `token list` and a longer prefix")
    return candidates[0]


def user_for_token(plaintext: str) -> User | None:
    """The active user who owns this unrevoked token, or None."""
    if not plaintext or not plaintext.startswith(TOKEN_PREFIX) or len(plaintext) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=hash_token(plaintext), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
