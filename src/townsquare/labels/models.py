"""Triage labels stored per message, and the corrections people make to them."""

from django.conf import settings
from django.db import models


class TriageStatus(models.TextChoices):
    FAST = "fast", "Fast path done"
    SEMANTIC = "semantic", "Fast and semantic paths done"
    FAILED = "failed", "Failed"


class DuplicateMatch(models.TextChoices):
    EXACT = "exact", "Exact"
    NEAR = "near", "Near"
    CROSS_LINGUAL = "cross_lingual", "Cross-lingual"


class MessageLabels(models.Model):
    message = models.OneToOneField(
        "inbox.Message", primary_key=True, on_delete=models.CASCADE, related_name="labels"
    )
    # Denormalised so conversation roll-ups read one table without joining messages.
    conversation_id = models.BigIntegerField(null=True, db_index=True)

    language = models.CharField(max_length=8, blank=True)
    language_score = models.FloatField(default=0.0)
    kind = models.CharField(max_length=16, blank=True)
    kind_score = models.FloatField(default=0.0)
    invites_reply = models.BooleanField(default=False)
    invites_reply_score = models.FloatField(default=0.0)
    sentiment = models.CharField(max_length=8, blank=True)
    sentiment_score = models.FloatField(default=0.0)
    spam_score = models.FloatField(default=0.0)
    promo_score = models.FloatField(default=0.0)
    urgency = models.JSONField(default=list, blank=True)
    priority = models.CharField(max_length=8, blank=True)
    pii = models.JSONField(default=list, blank=True, help_text="[{kind, start, end}, …]")
    intents = models.JSONField(default=list, blank=True, help_text="[[name, score], …], best first")

    duplicate_key = models.CharField(max_length=32, blank=True, db_index=True)
    # The message id (as a string) of the group's first member.
    duplicate_group = models.CharField(max_length=32, null=True, blank=True, db_index=True)
    duplicate_match = models.CharField(max_length=16, null=True, blank=True, choices=DuplicateMatch.choices)
    fingerprint = models.BinaryField(null=True, blank=True)

    status = models.CharField(max_length=16, choices=TriageStatus.choices, default=TriageStatus.FAST)
    error = models.TextField(blank=True)
    attempts = models.IntegerField(default=0)
    triage_version = models.CharField(max_length=32, blank=True)
    fast_at = models.DateTimeField(null=True, blank=True)
    semantic_at = models.DateTimeField(null=True, blank=True)

    # Spam, or chatter that does not invite a reply — unless a person moved it back.
    not_for_us = models.BooleanField(default=False)
    # A person's correction wins over re-triage for the corrected fields.
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "message labels"
        indexes = [
            # retriage --status failed|fast and the console's "failed" list.
            models.Index(fields=["status"], name="labels_status"),
            # Workers warm and refresh their duplicate index from the newest fingerprints.
            models.Index(fields=["semantic_at"], name="labels_semantic_at"),
        ]

    def __str__(self) -> str:
        return f"labels of message {self.message_id} ({self.status})"


class FeedbackField(models.TextChoices):
    KIND = "kind", "Kind"
    NOT_FOR_US = "not_for_us", "Not for us"
    INVITES_REPLY = "invites_reply", "Invites a reply"
    SENTIMENT = "sentiment", "Sentiment"
    LANGUAGE = "language", "Language"
    INTENT = "intent", "Intent"


class TriageFeedback(models.Model):
    """One correction a person made to a triage label; also the training signal for later models."""

    message = models.ForeignKey("inbox.Message", on_delete=models.CASCADE, related_name="triage_feedback")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    field = models.CharField(max_length=16, choices=FeedbackField.choices)
    # JSON keeps the value's type: a kind is a string, not_for_us a boolean.
    old_value = models.JSONField(null=True, blank=True)
    new_value = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.field} of message {self.message_id}: {self.old_value!r} → {self.new_value!r}"
