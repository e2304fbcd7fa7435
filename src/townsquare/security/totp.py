"""Time-based one-time codes (RFC 6238): secrets, the QR code for authenticator apps, checking a code.

A code is accepted for the current 30-second step and one step either side (clocks drift), and
only for a step later than the last one accepted for the same device, so a code seen over
someone's shoulder cannot be used again.
"""

import time

import pyotp
import segno
from django.db.models import Q
from django.utils.crypto import constant_time_compare

from townsquare.security.models import TotpDevice

ISSUER = "Townsquare"
STEP_SECONDS = 30
DRIFT_STEPS = 1
CODE_DIGITS = 6


def new_secret() -> str:
    return pyotp.random_base32()  # 32 base32 characters: 160 bits, as RFC 4226 recommends


def provisioning_uri(secret: str, username: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The otpauth:// URI as an inline SVG QR code: no image file, nothing fetched."""
    return segno.make(uri, error="m").svg_inline(scale=4, dark="#000", light="#fff")


def current_step(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // STEP_SECONDS)


def code_at(secret: str, step: int) -> str:
    return pyotp.TOTP(secret).generate_otp(step)


def normalise_code(code: str) -> str:
    return "".join((code or "").split())


def matching_step(secret: str, code: str, now: float | None = None) -> int | None:
    """The step within the drift window whose code this is, or None."""
    code = normalise_code(code)
    if len(code) != CODE_DIGITS or not code.isdigit():
        return None
    step = current_step(now)
    for candidate in range(step - DRIFT_STEPS, step + DRIFT_STEPS + 1):
        if constant_time_compare(code_at(secret, candidate), code):
            return candidate
    return None


def use_code(device: TotpDevice, code: str, now: float | None = None) -> bool:
    """Accept the code once: a conditional update, so two requests with one code cannot both win."""
    step = matching_step(device.secret, code, now)
    if step is None:
        return False
    fresher = Q(last_used_step__isnull=True) | Q(last_used_step__lt=step)
    if not TotpDevice.objects.filter(fresher, pk=device.pk).update(last_used_step=step):
        return False
    device.last_used_step = step
    return True
