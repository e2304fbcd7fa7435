"""Stored messages as the chat widget sees them (`message` frames) and as the console hears of them."""

from dataclasses import dataclass, field
from datetime import datetime

from django.urls import reverse

from townsquare.inbox.models import ChannelKind, Message
from townsquare.livechat.models import ChatAttachment

CHAT_PREFIX = "chat:"


@dataclass
class StoredMessage:
    id: int
    conversation_id: int
    channel_id: int
    direction: str
    text: str
    author: str
    created_at: datetime
    external_id: str
    # The message belongs to a live chat conversation: customer sockets get it too.
    is_chat: bool
    attachments: list[dict] = field(default_factory=list)
    # Where the conversation is now, so a console socket can tell who may see it without a query.
    channel_kind: str = ""
    queue_id: int | None = None
    assignee_id: int | None = None

    def customer_frame(self, client_id: str | None = None) -> dict:
        frame = {
            "type": "message",
            "id": self.id,
            "direction": self.direction,
            "text": self.text,
            "author": self.author,
            "at": self.created_at.isoformat(),
            "attachments": self.attachments,
        }
        client_id = client_id or client_id_of(self.external_id)
        if client_id:
            frame["client_id"] = client_id
        return frame


def client_id_of(external_id: str) -> str | None:
    """The widget's client id inside a chat message's external id "chat:<session hex>:<client id>"."""
    if external_id.startswith(CHAT_PREFIX):
        parts = external_id.split(":", 2)
        if len(parts) == 3:
            return parts[2]
    return None


def attachment_frame(attachment: ChatAttachment, channel_id: int) -> dict:
    return {
        "id": attachment.pk,
        "name": attachment.original_name,
        "size": attachment.size,
        "content_type": attachment.content_type,
        "url": reverse("livechat:attachment", args=[channel_id, attachment.pk]),
    }


FIELDS = (
    "id",
    "conversation_id",
    "channel_id",
    "direction",
    "text",
    "created_at",
    "external_id",
    "raw",
    "author__display_name",
    "author__handle",
    "conversation__channel__kind",
    "conversation__queue_id",
    "conversation__assignee_id",
)


def load_stored_message(message_id: int) -> StoredMessage | None:
    found = load_stored_messages(Message.objects.filter(pk=message_id))
    return found[0] if found else None


def conversation_messages_after(conversation_id: int, after_id: int, limit: int = 500) -> list[StoredMessage]:
    """The conversation's messages newer than after_id, oldest first (a chat's replay on resume)."""
    messages = Message.objects.filter(conversation_id=conversation_id, id__gt=after_id).order_by("id")[:limit]
    return load_stored_messages(messages)


def load_stored_messages(queryset) -> list[StoredMessage]:
    rows = list(queryset.values(*FIELDS))
    agent_names = _agent_first_names(rows)
    attachments = _attachments_of([row["id"] for row in rows])
    return [
        StoredMessage(
            id=row["id"],
            conversation_id=row["conversation_id"],
            channel_id=row["channel_id"],
            direction=row["direction"],
            text=row["text"],
            author=_author(row, agent_names),
            created_at=row["created_at"],
            external_id=row["external_id"],
            is_chat=row["conversation__channel__kind"] == ChannelKind.LIVECHAT,
            attachments=attachments.get(row["id"], []),
            channel_kind=row["conversation__channel__kind"],
            queue_id=row["conversation__queue_id"],
            assignee_id=row["conversation__assignee_id"],
        )
        for row in rows
    ]


def _author(row: dict, agent_names: dict[str, str]) -> str:
    if row["direction"] == "out":
        username = (row["raw"] or {}).get("author") if isinstance(row["raw"], dict) else None
        if isinstance(username, str) and agent_names.get(username):
            return agent_names[username]
    return row["author__display_name"] or row["author__handle"] or ""


def _agent_first_names(rows: list[dict]) -> dict[str, str]:
    """Replies carry their author's username in raw; the customer sees the first name only."""
    from townsquare.people.models import User

    usernames = {
        row["raw"].get("author")
        for row in rows
        if row["direction"] == "out"
        and isinstance(row["raw"], dict)
        and isinstance(row["raw"].get("author"), str)
    }
    if not usernames:
        return {}
    return {
        username: first_name
        for username, first_name in User.objects.filter(username__in=usernames).values_list(
            "username", "first_name"
        )
    }


def _attachments_of(message_ids: list[int]) -> dict[int, list[dict]]:
    found: dict[int, list[dict]] = {}
    if not message_ids:
        return found
    for attachment in ChatAttachment.objects.filter(message_id__in=message_ids).select_related("session"):
        found.setdefault(attachment.message_id, []).append(
            attachment_frame(attachment, attachment.session.channel_id)
        )
    return found
