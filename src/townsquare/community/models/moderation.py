"""Flags, moderation actions (every one logged with its reason and the rule it applies), suspensions."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class FlagReason(models.TextChoices):
    SPAM = "spam", "Spam or advertising"
    OFFENSIVE = "offensive", "Rude or abusive"
    OFF_TOPIC = "off_topic", "Off topic"
    PERSONAL_DATA = "personal_data", "Shares personal data"
    RULE = "rule", "Breaks a community guideline"
    OTHER = "other", "Something else"


class FlagStatus(models.TextChoices):
    OPEN = "open", "Open"
    UPHELD = "upheld", "Upheld"
    DISMISSED = "dismissed", "Dismissed"


class Flag(models.Model):
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flags_raised"
    )
    topic = models.ForeignKey("community.Topic", on_delete=models.CASCADE, related_name="flags")
    # Empty when the topic itself (the question) is flagged.
    post = models.ForeignKey(
        "community.Post", null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    reason = models.CharField(max_length=16, choices=FlagReason.choices)
    guideline = models.ForeignKey(
        "community.Guideline", null=True, blank=True, on_delete=models.SET_NULL, related_name="flags"
    )
    note = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "created_at"], name="flag_queue")]
        # One open flag per person per post (or per topic, for the question itself).
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "post"],
                name="flag_post_once",
                condition=models.Q(status="open", post__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["reporter", "topic"],
                name="flag_topic_once",
                condition=models.Q(status="open", post__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reason} flag on topic {self.topic_id}"


class ModerationActionKind(models.TextChoices):
    HIDE = "hide", "Hide"
    RESTORE = "restore", "Restore"
    EDIT = "edit", "Edit"
    APPROVE = "approve", "Approve held post"
    REJECT = "reject", "Reject held post"
    SUSPEND = "suspend", "Suspend"
    UNSUSPEND = "unsuspend", "Lift suspension"
    SLOW_MODE = "slow_mode", "Set slow mode"
    CLOSE = "close", "Close topic"
    REOPEN = "reopen", "Reopen topic"
    DISMISS_FLAGS = "dismiss_flags", "Dismiss flags"
    TRUST_LEVEL = "trust_level", "Set trust level"


class ModerationAction(models.Model):
    """The public record of moderation: who did what to which post, why, and under which rule."""

    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=16, choices=ModerationActionKind.choices)
    topic = models.ForeignKey(
        "community.Topic", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    post = models.ForeignKey(
        "community.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    space = models.ForeignKey(
        "community.Space", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField()
    guideline = models.ForeignKey(
        "community.Guideline", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.action} by {self.moderator_id}"


class Suspension(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="suspensions")
    until = models.DateTimeField()
    reason = models.TextField()
    guideline = models.ForeignKey(
        "community.Guideline", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    suspended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    lifted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"suspension of {self.user_id} until {self.until:%Y-%m-%d}"
