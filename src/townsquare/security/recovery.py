"""Recovery codes: ten one-time codes shown once at enrolment, for when the authenticator is lost.

Codes are random (50 bits each), so a plain SHA-256 is enough to store them: there is no
dictionary to try, unlike passwords.
"""

import hashlib
import secrets

from django.utils import timezone

from townsquare.security.models import RecoveryCode

CODE_COUNT = 10
ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no 0/o or 1/l to misread
HALF_LENGTH = 5


def hash_code(code: str) -> str:
    return hashlib.sha256(normalise(code).encode()).hexdigest()


def normalise(code: str) -> str:
    return "".join(ch for ch in (code or "").lower() if ch.isalnum())


def looks_like_recovery_code(code: str) -> bool:
    return len(normalise(code)) == 2 * HALF_LENGTH and not normalise(code).isdigit()


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(2 * HALF_LENGTH))
    return f"{raw[:HALF_LENGTH]}-{raw[HALF_LENGTH:]}"


def replace_codes(user) -> list[str]:
    """Drop the user's old codes and store new ones; returns them in clear, to be shown once."""
    codes = [new_code() for _ in range(CODE_COUNT)]
    RecoveryCode.objects.filter(user=user).delete()
    RecoveryCode.objects.bulk_create(RecoveryCode(user=user, code_hash=hash_code(code)) for code in codes)
    return codes


def use_code(user, code: str) -> bool:
    """Spend one unused code of this user; a conditional update, so a code works exactly once."""
    if not looks_like_recovery_code(code):
        return False
    return bool(
        RecoveryCode.objects.filter(user=user, code_hash=hash_code(code), used_at__isnull=True).update(
            used_at=timezone.now()
        )
    )


def unused_count(user) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
