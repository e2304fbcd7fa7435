"""A visitor's chat session on a live chat channel, and the files they attached."""

import uuid

from django.db import models
from django.utils import timezone


class ChatSession(models.Model):
    """One visitor's chat on one live chat channel; the widget holds it as a signed token."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    channel = models.ForeignKey("inbox.Channel", on_delete=models.CASCADE, related_name="chat_sessions")
    # The conversation the session's messages go to; set by its first message.
    conversation = models.ForeignKey(
        "inbox.Conversation", null=True, blank=True, on_delete=models.SET_NULL, related_name="chat_sessions"
    )
    identity = models.ForeignKey(
        "people.Identity", null=True, blank=True, on_delete=models.SET_NULL, related_name="chat_sessions"
    )
    # Who the host site says the visitor is (signed with the channel secret), when it says so.
    host_user_id = models.CharField(max_length=191, blank=True)
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    # True when the host site signed the email; an email typed into the offline form is not verified.
    email_verified = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    # A keyed hash of the visitor's IP address (rate limits, abuse), never the address itself.
    ip_hash = models.CharField(max_length=64, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    # Read receipts: the newest message id each side has seen.
    customer_read_up_to = models.BigIntegerField(default=0)
    agent_read_up_to = models.BigIntegerField(default=0)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["channel", "-last_seen_at"], name="chat_session_recent"),
            models.Index(fields=["conversation"], name="chat_session_conversation"),
        ]

    def __str__(self) -> str:
        return f"chat {self.id} on channel {self.channel_id}"


class ChatAttachment(models.Model):
    """A file a visitor sent in chat; stored under TOWNSQUARE_DATA_DIR, served only to staff and the session."""

    session = models.ForeignKey(ChatSession, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        "inbox.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="chat_attachments"
    )
    path = models.CharField(max_length=500, help_text="relative to the data directory")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.original_name
