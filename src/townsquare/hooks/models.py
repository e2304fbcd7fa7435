"""Outgoing webhooks: endpoints that subscribe to conversation events, and the log of every delivery.

A Delivery is one event for one endpoint; its payload is fixed when the event happens, so a retry
or a redelivery sends exactly the same bytes (with a fresh signature). DeliveryAttempt rows are
the log of each try: when, how long, what the receiver answered.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

MAX_URL_LENGTH = 2000
RESPONSE_EXCERPT_BYTES = 1024


def new_endpoint_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


class WebhookKind(models.TextChoices):
    CREATED = "conversation.created", "Conversation created"
    ASSIGNED = "conversation.assigned", "Conversation assigned"
    REPLIED = "conversation.replied", "Conversation replied"
    RESOLVED = "conversation.resolved", "Conversation resolved"
    SLA_BREACHED = "sla.breached", "SLA breached"


# Subscribes an endpoint to every kind, including kinds added later.
ALL_KINDS = "*"
# Sent only by "send test"; never subscribed to.
PING = "ping"


class Endpoint(models.Model):
    url = models.CharField(max_length=MAX_URL_LENGTH)
    description = models.CharField(max_length=200, blank=True)
    # Signs every delivery (HMAC-SHA256); shown once, when created or rotated.
    secret = models.CharField(max_length=100, default=new_endpoint_secret)
    # Webhook kinds (WebhookKind values) or ["*"].
    kinds = models.JSONField(default=list)
    is_active = models.BooleanField(default=True)
    # The receiver gave no answer (down, too slow): nothing is sent to it before this time.
    paused_until = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.url

    def subscribes_to(self, kind: str) -> bool:
        return ALL_KINDS in self.kinds or kind in self.kinds


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"  # not tried yet
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"  # the last attempt failed; retried at next_attempt_at (if set)
    GAVE_UP = "gave_up", "Gave up"  # every attempt failed


class Delivery(models.Model):
    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    # Sent as X-Townsquare-Delivery; unique per delivery, a redelivery gets its own.
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The event it reports (a plain id, like the event log's own references); null for pings.
    event_id = models.BigIntegerField(null=True, blank=True)
    kind = models.CharField(max_length=40)
    payload = models.JSONField()
    status = models.CharField(max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    # Attempts started, including one in flight: the claim increments it.
    attempts = models.PositiveIntegerField(default=0)
    # When it may be tried next; null once it succeeded or gave up. While an attempt is in flight it
    # holds the end of that attempt's lease, so a crashed worker's delivery becomes due again.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)
    redelivery_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="redeliveries"
    )

    class Meta:
        verbose_name_plural = "deliveries"
        indexes = [
            # The delivery log of one endpoint, newest first (cursor-paged).
            models.Index(fields=["endpoint", "-created_at", "-id"], name="delivery_log"),
            # What is due to send, per endpoint, in order. Finished deliveries are not in it.
            models.Index(
                fields=["endpoint", "next_attempt_at", "id"],
                name="delivery_due",
                condition=models.Q(next_attempt_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.endpoint_id} ({self.status})"


class DeliveryAttempt(models.Model):
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField()
    # Null when no HTTP answer came back (refused, reset, timed out).
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    response_excerpt = models.TextField(blank=True, help_text=f"at most {RESPONSE_EXCERPT_BYTES} bytes")

    class Meta:
        ordering = ["delivery", "number"]
        constraints = [models.UniqueConstraint(fields=["delivery", "number"], name="attempt_unique_number")]

    def __str__(self) -> str:
        return f"attempt {self.number} of delivery {self.delivery_id}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
