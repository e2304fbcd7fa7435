"""Two-factor login services: who must use it, enrolling, checking a code, turning it off.

Only console sign-in asks for a code. API tokens are not affected: a token is a 256-bit random
secret (nothing to guess, unlike a password), it can only be minted by someone already signed in
(past this check when it is required) or by the operator on the server, only its hash is stored,
and it is revoked in one step. Asking scripts for a rotating code would not add a factor.
"""

from django.conf import settings
from django.contrib.auth import logout
from django.db import transaction

from townsquare.events.log import record
from townsquare.people.models import Role
from townsquare.security import pending, recovery, totp
from townsquare.security.models import TotpDevice

REQUIRED_ROLES = {Role.ADMIN, Role.SUPERVISOR}
ENROL_SECRET = "security.enrol_secret"  # noqa: S105 (a session key name, not a secret)


class TwoFactorError(ValueError):
    """A two-factor change that cannot be made as asked; the message says why."""


def is_required(user) -> bool:
    return bool(
        settings.REQUIRE_2FA and user is not None and user.is_authenticated and user.role in REQUIRED_ROLES
    )


def device_for(user) -> TotpDevice | None:
    return TotpDevice.objects.filter(user=user).first()


def has_device(user) -> bool:
    return TotpDevice.objects.filter(user=user).exists()


def enrolment_secret(session) -> str:
    """The secret being enrolled, kept in the session until a code confirms it."""
    secret = session.get(ENROL_SECRET)
    if not secret:
        secret = session[ENROL_SECRET] = totp.new_secret()
    return secret


def enable(session, user, code: str) -> list[str]:
    """Confirm enrolment with a code from the app; returns the recovery codes, to be shown once."""
    secret = session.get(ENROL_SECRET)
    if not secret:
        raise TwoFactorError("start again: the enrolment page was not opened in this session")
    step = totp.matching_step(secret, code)
    if step is None:
        raise TwoFactorError("that code does not match; check the time on your phone and try the next code")
    with transaction.atomic():
        if TotpDevice.objects.select_for_update().filter(user=user).exists():
            raise TwoFactorError("two-factor login is already on")
        # The confirming code counts as used: it cannot sign anyone in afterwards.
        TotpDevice.objects.create(user=user, secret=secret, last_used_step=step)
        codes = recovery.replace_codes(user)
        record("auth.totp_enabled", actor=user, data={"recovery_codes": len(codes)})
    session.pop(ENROL_SECRET, None)
    return codes


def verify(user, code: str) -> str | None:
    """Check a sign-in code: "totp" or "recovery_code" for the kind accepted, None when wrong."""
    device = device_for(user)
    if device is None:
        return None
    if totp.use_code(device, code):
        return "totp"
    if recovery.use_code(user, code):
        return "recovery_code"
    return None


def disable(user, password: str, code: str) -> None:
    """Turn two-factor login off; needs the password and a current code (or a recovery code)."""
    if is_required(user):
        raise TwoFactorError("two-factor login is required for your role and cannot be turned off")
    if not user.check_password(password or ""):
        raise TwoFactorError("the password is not right")
    if verify(user, code) is None:
        raise TwoFactorError("the code is not right (or was already used)")
    with transaction.atomic():
        TotpDevice.objects.filter(user=user).delete()
        user.recovery_codes.all().delete()
        record("auth.totp_disabled", actor=user, data={})


def new_recovery_codes(user, code: str) -> list[str]:
    """Replace the recovery codes (the old ones stop working); needs a current code."""
    device = device_for(user)
    if device is None:
        raise TwoFactorError("two-factor login is off: there are no recovery codes to replace")
    if not totp.use_code(device, code):
        raise TwoFactorError("the code is not right (or was already used)")
    with transaction.atomic():
        codes = recovery.replace_codes(user)
        record("auth.recovery_codes_replaced", actor=user, data={"recovery_codes": len(codes)})
    return codes


def ask_for_code_again(request, user) -> None:
    """A session signed in without the second factor (before it was required): sign it out and
    make it a half-done sign-in, so the person gives a code and comes back where they were."""
    next_url = request.get_full_path() if request.method == "GET" else ""
    logout(request)
    pending.start(request, user, next_url)


def reset_by_operator(user) -> bool:
    """Remove the device and recovery codes from the server's command line; False if there was none."""
    with transaction.atomic():
        deleted, _ = TotpDevice.objects.filter(user=user).delete()
        if not deleted:
            return False
        user.recovery_codes.all().delete()
        record("auth.totp_disabled", data={"user_id": user.pk, "via": "cli"})
    return True
