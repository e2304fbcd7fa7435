"""Subscriptions to spaces and topics, and the notifications they produce (in-app and email digest)."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Subscription(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_subscriptions"
    )
    space = models.ForeignKey(
        "community.Space", null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    topic = models.ForeignKey(
        "community.Topic", null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "topic"], name="subscribe_topic_once", condition=models.Q(topic__isnull=False)
            ),
            models.UniqueConstraint(
                fields=["user", "space"], name="subscribe_space_once", condition=models.Q(space__isnull=False)
            ),
            models.CheckConstraint(
                condition=models.Q(space__isnull=True) ^ models.Q(topic__isnull=True),
                name="subscribe_space_or_topic",
            ),
        ]

    def __str__(self) -> str:
        return f"subscription {self.pk} of {self.user_id}"


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_notifications"
    )
    # answer, comment, accepted, mention, badge, trust_level, moderation, escalated, proposal, …
    kind = models.CharField(max_length=32)
    text = models.CharField(max_length=300)
    topic = models.ForeignKey(
        "community.Topic", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    post = models.ForeignKey(
        "community.Post", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set when an email digest included it, so no digest repeats it.
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "read_at", "-created_at"], name="notification_inbox"),
            models.Index(
                fields=["user", "created_at"],
                name="notification_digest",
                condition=models.Q(emailed_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.text
