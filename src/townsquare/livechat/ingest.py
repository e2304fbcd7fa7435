"""Storing what a chat visitor writes: through the ingest service, threaded into the session's chat."""

import re
import uuid
from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from townsquare.inbox.ingest.normalized import InboundMessage, text_problem
from townsquare.inbox.ingest.store import store_messages
from townsquare.inbox.models import Channel, Conversation, Message
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


@dataclass
class PendingChat:
    """One visitor message waiting to be stored."""

    session_id: uuid.UUID
    text: str
    client_id: str
    raw_extra: dict | None = None


def store_chat_message(session_id, text: str, client_id: str, *, raw_extra: dict | None = None) -> Ingested:
    """Store one visitor message once per client id; publish it to the console after commit."""
    return store_chat_batch([PendingChat(session_id, text, client_id, raw_extra)])[0]


def store_chat_batch(pending: list[PendingChat], *, publish_after_commit: bool = True) -> list[Ingested]:
    """Store visitor messages of any sessions in one transaction (the sockets' group commit).

    Each message answers the newest message of its session's chat (earlier ones of the same
    batch included), so the chat stays one thread; a session's first message starts its conversation.
    The sockets' writer publishes the results itself, from its event loop (`publish_after_commit=False`).
    """
    now = timezone.now()
    with transaction.atomic():
        sessions = {
            s.pk: s
            for s in ChatSession.objects.select_related("channel", "identity").filter(
                pk__in={p.session_id for p in pending}
            )
        }
        newest = _newest_in_chats(sessions.values())
        messages: dict[int, list[tuple[int, InboundMessage]]] = {}
        for index, item in enumerate(pending):
            session = sessions[item.session_id]
            message = _inbound(session, item, newest.get(session.pk), now)
            newest[session.pk] = message.external_id
            messages.setdefault(session.channel_id, []).append((index, message))
        outcomes: dict[int, tuple[str, int]] = {}
        for channel_id, items in messages.items():
            channel = next(s.channel for s in sessions.values() if s.channel_id == channel_id)
            result = store_messages(channel, [m for _, m in items], source="livechat")
            for (index, _), (_, outcome, message_id) in zip(items, result.outcomes, strict=True):
                outcomes[index] = (outcome, message_id)
        return _results(pending, sessions, messages, outcomes, publish_after_commit)


def _inbound(session: ChatSession, item: PendingChat, parent: str | None, now) -> InboundMessage:
    message = InboundMessage(
        external_id=external_id(session.pk, item.client_id),
        author_id=_author_id(session),
        author_name=session.name or f"Chat visitor {session.pk.hex[:6]}",
        text=item.text,
        created_at=now,
        parent_external_id=parent,
        raw={"session": session.pk.hex, "client_id": item.client_id, **(item.raw_extra or {})},
    )
    if _HAS_CONVERSATION_HINT and session.conversation_id:
        message.conversation_id = session.conversation_id
    return message


def _author_id(session: ChatSession) -> str:
    return session.identity.external_id if session.identity_id else f"session:{session.pk.hex}"


def _results(pending, sessions, messages, outcomes, publish_after_commit: bool) -> list[Ingested]:
    """Acks for every message, sessions linked to their new conversations, publishes after commit."""
    by_index = {index: message for items in messages.values() for index, message in items}
    conversation_of, placed = {}, {}
    for message_id, conversation_id, queue_id, assignee_id in Message.objects.filter(
        pk__in={m for _, m in outcomes.values()}
    ).values_list("id", "conversation_id", "conversation__queue_id", "conversation__assignee_id"):
        conversation_of[message_id] = conversation_id
        placed[conversation_id] = (queue_id, assignee_id)
    results = []
    for index, item in enumerate(pending):
        session = sessions[item.session_id]
        outcome, message_id = outcomes[index]
        conversation_id = conversation_of[message_id]
        first = session.conversation_id is None
        if first:
            _attach_conversation(session, conversation_id, _author_id(session))
        stored = None
        if outcome != "duplicate":
            stored = _stored(message_id, conversation_id, session.channel, by_index[index], placed)
            # Before commit, so this process's relay never publishes it a second time.
            publish.mark_published(message_id)
            if publish_after_commit:
                transaction.on_commit(partial(publish.publish_stored, stored, client_id=item.client_id))
        results.append(Ingested(message_id, outcome == "duplicate", conversation_id, first, stored))
    return results


def _newest_in_chats(sessions) -> dict[uuid.UUID, str]:
    """Each session's chat's newest message on the chat's channel: a new message answers it.

    One query for the whole batch; each chat's newest is one step down the thread index.
    """
    session_of = {s.conversation_id: s.pk for s in sessions if s.conversation_id}
    if not session_of:
        return {}
    newest = (
        Message.objects.filter(conversation_id=OuterRef("pk"), channel_id=OuterRef("channel_id"))
        .order_by("-created_at", "-id")
        .values("external_id")[:1]
    )
    rows = (
        Conversation.objects.filter(pk__in=session_of)
        .annotate(newest=Subquery(newest))
        .values_list("pk", "newest")
    )
    return {session_of[pk]: external for pk, external in rows if external is not None}


def _attach_conversation(session: ChatSession, conversation_id: int, author_id: str) -> None:
    identity_id = session.identity_id or (
        Identity.objects.filter(channel_id=session.channel_id, external_id=author_id)
        .values_list("id", flat=True)
        .first()
    )
    ChatSession.objects.filter(pk=session.pk).update(conversation_id=conversation_id, identity_id=identity_id)
    session.conversation_id, session.identity_id = conversation_id, identity_id


def _stored(
    message_id: int, conversation_id: int, channel: Channel, message: InboundMessage, placed: dict
) -> StoredMessage:
    queue_id, assignee_id = placed.get(conversation_id, (None, None))
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
        channel_kind=channel.kind,
        queue_id=queue_id,
        assignee_id=assignee_id,
    )
