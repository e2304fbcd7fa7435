"""Replies to customers, internal notes, canned replies, who is drafting a reply now, CSAT surveys."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ReplyStatus(models.TextChoices):
    # Waiting out the undo window; the delivery task sends it once `send_after` has passed.
    SCHEDULED = "scheduled", "Scheduled"
    # Claimed by a delivery attempt that is talking to the channel right now.
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    CANCELLED = "cancelled", "Cancelled (undone)"
    BLOCKED = "blocked", "Blocked by the reply guard"
    FAILED = "failed", "Delivery failed"


class Reply(models.Model):
    """One attempt to answer a customer, kept whatever became of it (sent, undone, blocked, failed)."""

    conversation = models.ForeignKey("inbox.Conversation", on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="replies")
    text = models.TextField()
    status = models.CharField(max_length=16, choices=ReplyStatus.choices, default=ReplyStatus.SCHEDULED)
    created_at = models.DateTimeField(default=timezone.now)
    send_after = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The reply guard's verdict: {"blocked", "reasons", "warnings", "promo_score"}.
    guard = models.JSONField(default=dict, blank=True)
    override_reason = models.TextField(blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The outbound message the reply became once delivered.
    message = models.OneToOneField(
        "inbox.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="reply"
    )
    error = models.TextField(blank=True)
    # Delivery through the channel's connector: attempts made, when the current one started
    # (a SENDING reply older than the delivery timeout was lost with its worker), and the id the
    # remote side gave the delivered reply (a Mastodon status id, an email Message-ID).
    attempts = models.IntegerField(default=0)
    sending_since = models.DateTimeField(null=True, blank=True)
    remote_id = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name_plural = "replies"
        indexes = [
            models.Index(fields=["conversation", "created_at"], name="reply_thread"),
            # deliver_due_replies: scheduled replies whose window has passed.
            models.Index(fields=["status", "send_after"], name="reply_due"),
        ]

    def __str__(self) -> str:
        return f"reply {self.pk} ({self.status})"


class Note(models.Model):
    """An internal note on a conversation: staff only, never sent to the customer."""

    conversation = models.ForeignKey("inbox.Conversation", on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notes")
    text = models.TextField()
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="mentioned_in_notes")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["conversation", "created_at"], name="note_thread")]

    def __str__(self) -> str:
        return f"note {self.pk} on conversation {self.conversation_id}"


class CannedReply(models.Model):
    """A prepared answer; the same shortcut has one text per language."""

    title = models.CharField(max_length=200)
    shortcut = models.SlugField(max_length=60)
    language = models.CharField(max_length=8, default="en")
    text = models.TextField(
        help_text="may use {{customer.name}}, {{customer.first_name}}, {{agent.name}}, {{order_number}}"
    )
    team = models.ForeignKey("care.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["shortcut", "language"]
        verbose_name_plural = "canned replies"
        constraints = [
            models.UniqueConstraint(fields=["shortcut", "language"], name="canned_shortcut_per_language")
        ]

    def __str__(self) -> str:
        return f"/{self.shortcut} ({self.language})"


class ReplyPresence(models.Model):
    """Someone has the reply box of a conversation open; kept in the database so every process sees it."""

    conversation = models.ForeignKey("inbox.Conversation", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_seen = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "user"], name="reply_presence_per_user")
        ]

    def __str__(self) -> str:
        return f"user {self.user_id} on conversation {self.conversation_id} at {self.last_seen:%H:%M:%S}"


class CsatSurvey(models.Model):
    """The satisfaction survey sent after a conversation is resolved, and the customer's answer."""

    conversation = models.OneToOneField("inbox.Conversation", on_delete=models.CASCADE, related_name="csat")
    token = models.CharField(max_length=200, unique=True)
    requested_at = models.DateTimeField(default=timezone.now)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=1, score__lte=5),
                name="csat_score_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"CSAT for conversation {self.conversation_id}"
