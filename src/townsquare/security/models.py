"""Sign-in security state: TOTP devices, hashed recovery codes, and failed sign-ins for rate limits."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class TotpDevice(models.Model):
    """A confirmed authenticator app. A secret the person has not yet confirmed lives only in
    their session, so an abandoned enrolment never turns two-factor login on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totp_device"
    )
    # Base32, as authenticator apps take it; the server needs it in clear to compute codes.
    secret = models.CharField(max_length=64)
    confirmed_at = models.DateTimeField(default=timezone.now)
    # The highest 30-second step whose code was accepted: a code is good once (no replay).
    last_used_step = models.BigIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"TOTP device of user {self.user_id}"


class RecoveryCode(models.Model):
    """A one-time code for when the authenticator is lost; only its SHA-256 is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes"
    )
    code_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"recovery code {self.pk} of user {self.user_id}"


class FailureScope(models.TextChoices):
    USERNAME = "username", "Username"
    IP = "ip", "IP address"


class LoginFailure(models.Model):
    """One failed sign-in step, counted per username and per IP address.

    Kept in the database rather than a per-process cache so that every web process sees the
    same count; rows older than the counting window are deleted as new failures arrive.
    """

    scope = models.CharField(max_length=16, choices=FailureScope.choices)
    key = models.CharField(max_length=191)
    failed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["scope", "key", "failed_at"], name="login_failure_lookup"),
            models.Index(fields=["failed_at"], name="login_failure_age"),
        ]

    def __str__(self) -> str:
        return f"{self.scope}={self.key} at {self.failed_at:%Y-%m-%d %H:%M:%S}"
