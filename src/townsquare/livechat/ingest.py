"""Storing what a chat visitor writes: through the ingest service, threaded into the session's chat."""

import re
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from townsquare.inbox.ingest.normalized import InboundMessage, text_problem
from townsquare.inbox.ingest.store import store_messages
from townsquare.inbox.models import Channel, Message
from townsquare.livechat.frames import StoredMessage
from townsquare.livechat.models import ChatSession
from townsquare.people.models import Identity
from townsquare.realtime import publish

# The widget's client ids are UUIDs; anything short and plain is accepted.
CLIENT_ID = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
_HAS_CONVERSATION_HINT = "conversation_id" in getattr(InboundMessage, "__dataclass_fields__", {})


class ChatMessageRejected(ValueError):
    """The text or client id cannot be stored; `code` is the WebSocket error code."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass
class Ingested:
    message_id: int
    duplicate: bool
    conversation_id: int
    # The conversation was created by this message (the session's sockets join its group).
    first: bool
    # What is published after commit (None for a duplicate); callers may add attachments first.
    stored: StoredMessage | None = None


def check_client_id(client_id) -> str:
    if not isinstance(client_id, str) or not CLIENT_ID.match(client_id):
        raise ChatMessageRejected("bad_frame", "client_id must be 1 to 64 letters, digits, '-', '_' or '.'")
    return client_id


def check_chat_text(text, max_length: int) -> str:
    if not isinstance(text, str):
        raise ChatMessageRejected("bad_frame", "text must be a string")
    if not text.strip():
        raise ChatMessageRejected("empty", "the message is empty")
    if len(text) > max_length:
        raise ChatMessageRejected("too_long", f"messages are at most {max_length} characters")
    problem = text_problem(text)
    if problem:
        raise ChatMessageRejected("bad_frame", f"text {problem}")
    return text


def external_id(session_id, client_id: str) -> str:
    return f"chat:{session_id.hex}:{client_id}"


def store_chat_message(session_id, text: str, client_id: str, *, raw_extra: dict | None = None) -> Ingested:
    """Store one visitor message once per client id; publish it to the console after commit."""
    now = timezone.now()
    with transaction.atomic():
        session = (
            ChatSession.objects.select_related("channel", "identity")
            .only("id", "name", "conversation_id", "host_user_id", "identity__external_id", "channel")
            .get(pk=session_id)
        )
        channel = session.channel
        author_id = session.identity.external_id if session.identity_id else f"session:{session.pk.hex}"
        message = InboundMessage(
            external_id=external_id(session.pk, client_id),
            author_id=author_id,
            author_name=session.name,
            text=text,
            created_at=now,
            parent_external_id=_newest_in_chat(session),
            raw={"session": session.pk.hex, "client_id": client_id, **(raw_extra or {})},
        )
        if _HAS_CONVERSATION_HINT and session.conversation_id:
            message.conversation_id = session.conversation_id
        outcome = store_messages(channel, [message], source="livechat").outcomes[0]
        message_id, duplicate = outcome[2], outcome[1] == "duplicate"
        conversation_id = (
            Message.objects.filter(pk=message_id).values_list("conversation_id", flat=True).get()
        )
        first = session.conversation_id is None
        if first:
            _attach_conversation(session, conversation_id, author_id)
        stored = None
        if not duplicate:
            stored = _stored(message_id, conversation_id, channel, message)
            transaction.on_commit(lambda: publish.publish_stored(stored, client_id=client_id))
    return Ingested(message_id, duplicate, conversation_id, first, stored)


def _newest_in_chat(session: ChatSession) -> str | None:
    """The session's conversation's newest message on this channel: the new one answers it."""
    if session.conversation_id is None:
        return None
    return (
        Message.objects.filter(conversation_id=session.conversation_id, channel_id=session.channel_id)
        .order_by("-id")
        .values_list("external_id", flat=True)
        .first()
    )


def _attach_conversation(session: ChatSession, conversation_id: int, author_id: str) -> None:
    identity_id = session.identity_id or (
        Identity.objects.filter(channel_id=session.channel_id, external_id=author_id)
        .values_list("id", flat=True)
        .first()
    )
    ChatSession.objects.filter(pk=session.pk).update(conversation_id=conversation_id, identity_id=identity_id)
    session.conversation_id, session.identity_id = conversation_id, identity_id


def _stored(
    message_id: int, conversation_id: int, channel: Channel, message: InboundMessage
) -> StoredMessage:
    return StoredMessage(
        id=message_id,
        conversation_id=conversation_id,
        channel_id=channel.pk,
        direction="in",
        text=message.text,
        author=message.author_name,
        created_at=message.created_at,
        external_id=message.external_id,
        is_chat=True,
    )
