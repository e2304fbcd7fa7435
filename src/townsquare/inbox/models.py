"""Channels, conversations and messages: what customers said, where, and in which thread."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


def new_channel_secret() -> str:
    return secrets.token_urlsafe(32)


class ChannelKind(models.TextChoices):
    IMPORT = "import", "File import"
    WEBHOOK = "webhook", "Signed webhook"
    EMAIL = "email", "Email"
    LIVECHAT = "livechat", "Live chat"
    COMMUNITY = "community", "Community"
    FEDIVERSE = "mastodon", "Mastodon (fediverse)"


class Channel(models.Model):
    kind = models.CharField(max_length=16, choices=ChannelKind.choices, default=ChannelKind.IMPORT)
    name = models.CharField(max_length=100, unique=True)
    # Signs webhook deliveries (HMAC-SHA256); rotate it from the console or the API.
    secret = models.CharField(max_length=100, default=new_channel_secret)
    settings = models.JSONField(default=dict, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Running totals for /metrics, updated in the same transaction as the messages they count.
    messages_stored = models.BigIntegerField(default=0)
    messages_duplicate = models.BigIntegerField(default=0)
    messages_rejected = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ConversationStatus(models.TextChoices):
    NEW = "new", "New"
    OPEN = "open", "Open"
    PENDING = "pending", "Pending"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"


class Conversation(models.Model):
    # The (channel, …) indexes below serve channel lookups; no separate FK index.
    channel = models.ForeignKey(
        Channel, on_delete=models.PROTECT, related_name="conversations", db_index=False
    )
    customer = models.ForeignKey(
        "people.Customer", null=True, blank=True, on_delete=models.SET_NULL, related_name="conversations"
    )
    status = models.CharField(
        max_length=16, choices=ConversationStatus.choices, default=ConversationStatus.NEW
    )
    subject = models.CharField(max_length=200, blank=True)
    # The message that started it. No database constraint: conversation and root message point at
    # each other, and on SQLite a pending deferred-FK violation makes every later insert scan for
    # children, which turned bulk ingest quadratic. Messages are never deleted, so it stays valid.
    root_message = models.ForeignKey(
        "Message",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    started_at = models.DateTimeField(help_text="when the first message was written")
    last_activity_at = models.DateTimeField(help_text="when the latest message was written")
    message_count = models.IntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, help_text="when Townsquare created it")
    updated_at = models.DateTimeField(default=timezone.now)
    # Triage roll-up of the inbound messages (labels.rollup); blank until triage has run. Database
    # defaults, because ingest inserts conversations with raw SQL that does not name these columns.
    language = models.CharField(max_length=8, blank=True, default="", db_default="")
    kind = models.CharField(max_length=16, blank=True, default="", db_default="")
    sentiment = models.CharField(max_length=8, blank=True, default="", db_default="")
    priority = models.CharField(max_length=8, blank=True, default="", db_default="")
    invites_reply = models.BooleanField(null=True, blank=True)
    not_for_us = models.BooleanField(default=False, db_default=False)
    # Inbound messages are waiting for their fast-path labels (or for `retriage`).
    triage_pending = models.BooleanField(default=False, db_default=False)
    # Care workflow (care, sla, replies apps). Nullable or with database defaults, because ingest
    # inserts conversations with raw SQL that does not name these columns.
    queue = models.ForeignKey(
        "care.Queue",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conversations",
        db_index=False,
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_conversations",
        db_index=False,
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    # Who handles it now on the ladder ambassador -> agent -> supervisor; blank until routed.
    escalation_level = models.CharField(max_length=16, blank=True, default="", db_default="")
    # The nearest deadline of the running SLA clocks (first/next response, resolution); the list sorts by it.
    sla_due_at = models.DateTimeField(null=True, blank=True)
    # When the customer's oldest unanswered message arrived; null when the brand spoke last.
    waiting_since = models.DateTimeField(null=True, blank=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["-last_activity_at", "-id"], name="conversation_activity"),
            # Console filters: status plus one triage field, newest activity first.
            models.Index(fields=["status", "priority", "-last_activity_at"], name="conversation_priority"),
            models.Index(fields=["status", "kind", "-last_activity_at"], name="conversation_kind"),
            models.Index(fields=["status", "language", "-last_activity_at"], name="conversation_language"),
            # The inbox and "not for us": newest first, filtered by status or not, seeks straight to a page.
            models.Index(fields=["not_for_us", "-last_activity_at", "-id"], name="conversation_inbox"),
            models.Index(
                fields=["channel", "status", "-last_activity_at"], name="conversation_channel_status"
            ),
            models.Index(
                fields=["channel", "-last_activity_at", "-id"], name="conversation_channel_activity"
            ),
            # Saved views: mine / a queue / breaching soon.
            # (assignee, status) also serves routing's load counts per agent.
            models.Index(fields=["assignee", "status", "-last_activity_at"], name="conversation_assignee"),
            models.Index(fields=["assignee", "-last_activity_at", "-id"], name="conversation_mine"),
            models.Index(fields=["queue", "status", "-last_activity_at"], name="conversation_queue"),
            # Breaching soon walks it in order; its last three columns make it covering for the
            # saved views' open counts and the visibility test (no table lookup for 20,000 open rows).
            models.Index(
                fields=["not_for_us", "status", "sla_due_at", "id", "queue", "assignee", "waiting_since"],
                name="conversation_breaching",
            ),
        ]

    def __str__(self) -> str:
        return self.subject or f"conversation {self.pk}"


class Direction(models.TextChoices):
    INBOUND = "in", "Inbound"
    OUTBOUND = "out", "Outbound"


class Message(models.Model):
    # Several FK indexes are left out on purpose: the unique (channel, external_id) and the
    # (conversation, created_at) indexes already serve those lookups, and every index slows ingest.
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="messages", db_index=False)
    conversation = models.ForeignKey(
        Conversation, null=True, on_delete=models.PROTECT, related_name="messages", db_index=False
    )
    external_id = models.CharField(max_length=191)
    # The parent is named by its external id; `parent` is filled in once that message is stored.
    parent_external_id = models.CharField(max_length=191, null=True, blank=True)
    # No database constraint, for the same reason as Conversation.root_message: a reply stored in
    # the same batch before its parent would make SQLite scan for children on every later insert.
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replies",
        db_index=False,
        db_constraint=False,
    )
    direction = models.CharField(max_length=3, choices=Direction.choices)
    author = models.ForeignKey(
        "people.Identity",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="messages",
        db_index=False,
    )
    text = models.TextField()
    created_at = models.DateTimeField(help_text="when the author wrote it (from the source)")
    received_at = models.DateTimeField(help_text="when Townsquare stored it")
    raw = models.JSONField(default=dict, blank=True, help_text="the payload as it arrived")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["channel", "external_id"], name="message_unique_per_channel")
        ]
        indexes = [
            models.Index(fields=["conversation", "created_at"], name="message_thread"),
            # GET /api/v1/messages pages through everything the caller sees in the order it arrived.
            # received_at only grows, so this index is appended to, not rewritten, during an import
            # (an index on created_at cost a third of the message insert time).
            models.Index(fields=["received_at", "id"], name="message_received"),
            models.Index(
                fields=["channel", "parent_external_id"],
                name="message_orphans",
                condition=models.Q(parent__isnull=True, parent_external_id__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel_id}:{self.external_id}"


class ImportStatus(models.TextChoices):
    # An uploaded file waiting for the task worker; CLI imports start running at once.
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class ImportRun(models.Model):
    """One run of a file importer, with its counts and where its reject report is."""

    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="imports")
    source = models.CharField(max_length=500)
    format = models.CharField(max_length=16)
    status = models.CharField(max_length=16, choices=ImportStatus.choices, default=ImportStatus.RUNNING)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    read = models.BigIntegerField(default=0)
    stored = models.BigIntegerField(default=0)
    duplicates = models.BigIntegerField(default=0)
    rejected = models.BigIntegerField(default=0)
    reject_report = models.CharField(max_length=500, blank=True)
    error = models.TextField(blank=True)
    # Who uploaded the file from the console or the API; empty for CLI imports.
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"import {self.pk} of {self.source} ({self.status})"
