"""Two-factor helpers for tests: an enrolled device with a known secret, and its codes."""

from townsquare.security import recovery, totp
from townsquare.security.models import TotpDevice

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 (a test fixture)


def enrol(user, secret: str = SECRET) -> list[str]:
    """Give user a confirmed device; returns their recovery codes."""
    TotpDevice.objects.create(user=user, secret=secret)
    return recovery.replace_codes(user)


def code(offset: int = 0, secret: str = SECRET) -> str:
    """The code for the current step plus offset steps."""
    return totp.code_at(secret, totp.current_step() + offset)


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session
