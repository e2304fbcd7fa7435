"""Per-channel connector state (encrypted secrets, poll cursor, health) and rejected input kept for inspection."""

from django.db import models
from django.utils import timezone


class Health(models.TextChoices):
    UNKNOWN = "unknown", "Not checked yet"
    OK = "ok", "Working"
    FAILING = "failing", "Failing"


class ConnectorState(models.Model):
    """What a channel's connector needs besides `Channel.settings` (its non-secret configuration)."""

    channel = models.OneToOneField("inbox.Channel", on_delete=models.CASCADE, related_name="connector_state")
    # Encrypted JSON object of secret settings (`connectors.secrets.seal`); never shown again once set.
    sealed_secrets = models.TextField(blank=True)
    # Where polling goes on from, e.g. {"since_id": "1234"} for Mastodon.
    cursor = models.JSONField(default=dict, blank=True)
    health = models.CharField(max_length=16, choices=Health.choices, default=Health.UNKNOWN)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    last_ok_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    consecutive_failures = models.IntegerField(default=0)
    # Polling connectors: not before this (their interval, or a rate limit's reset time).
    next_poll_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"connector of channel {self.channel_id} ({self.health})"


class RejectedInbound(models.Model):
    """Input a connector could not turn into a message (malformed MIME, …), kept byte for byte."""

    channel = models.ForeignKey(
        "inbox.Channel", null=True, blank=True, on_delete=models.SET_NULL, related_name="rejected_inbound"
    )
    received_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField()
    # A short description for the console: sender, subject, Message-ID when they could be read.
    summary = models.CharField(max_length=500, blank=True)
    raw = models.BinaryField()
    size = models.IntegerField(default=0)
    sha256 = models.CharField(max_length=64, db_index=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["channel", "-received_at"], name="rejected_inbound_channel")]

    def __str__(self) -> str:
        return f"rejected input {self.pk}: {self.reason[:60]}"
