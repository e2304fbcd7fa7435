"""Stored messages and hand-written label rows for the labels-core tests."""

from django.utils import timezone

from tests.inbox.helpers import msg
from townsquare.inbox.ingest.store import store_messages
from townsquare.inbox.models import Message
from townsquare.labels.models import MessageLabels


def store(channel, *messages) -> dict[str, Message]:
    """Store InboundMessages through ingest; return the stored rows by external id."""
    store_messages(channel, list(messages), source="test")
    return {m.external_id: m for m in Message.objects.filter(channel=channel)}


def thread(channel, *texts: str, outbound_at: int | None = None, prefix: str = "t") -> dict[str, Message]:
    """One conversation: t0 is the root, each later text a reply to the one before; the message at
    position `outbound_at` is the brand's. External ids are prefix + position."""
    messages = []
    for position, text in enumerate(texts):
        messages.append(
            msg(
                f"{prefix}{position}",
                parent=f"{prefix}{position - 1}" if position else None,
                minute=position,
                text=text,
                direction="out" if position == outbound_at else "in",
                author="brand" if position == outbound_at else "dana",
            )
        )
    stored = store(channel, *messages)
    return {e: stored[e] for e in (m.external_id for m in messages)}


def label(message: Message, **fields) -> MessageLabels:
    values = {
        "language": "en",
        "kind": "question",
        "sentiment": "neutral",
        "priority": "normal",
        "invites_reply": True,
        "status": "fast",
        "fast_at": timezone.now(),
        **fields,
    }
    return MessageLabels.objects.create(message=message, conversation_id=message.conversation_id, **values)
