"""Which conversation an email belongs to: Message-ID headers first, then the reply token.

In order: In-Reply-To when that message is stored on this channel; else the newest stored id in
References (walked from the end, so a client that trims References to the last few still
threads); else Outlook's Thread-Index (a client that drops both headers keeps it); else a reply
token in the envelope recipients or To/Cc/Delivered-To. Never the subject alone: two customers both writing "Order" are two
conversations.

The message's parent external id stays its real parent (In-Reply-To, else the last Reference)
even when that one is not stored yet, so ingest re-attaches it when it arrives out of order.
"""

import base64
import binascii
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from townsquare.connectors.email.parse import ParsedEmail
from townsquare.connectors.email.reply_token import conversation_from_address
from townsquare.inbox.models import Message

# Thread-Index: 22 bytes name the thread (FILETIME + GUID); each reply appends 5 bytes.
THREAD_INDEX_ROOT_BYTES = 22
MAX_REFERENCES = 100
# Outlook threads found by Thread-Index alone: only among messages of the last months.
THREAD_INDEX_WINDOW = timedelta(days=120)


@dataclass
class ThreadPlacement:
    parent_external_id: str | None
    conversation_id: int | None  # the conversation to join when the parent is not stored
    how: str  # in-reply-to | references | thread-index | reply-token | new


def place(channel, parsed: ParsedEmail, envelope_to=()) -> ThreadPlacement:
    """Where the message goes; `envelope_to`: the SMTP recipients, which hold the reply token
    when the mail server did not copy it into a header."""
    own = parsed.message_id
    references = [r for r in parsed.references if r != own][-MAX_REFERENCES:]
    parent = parsed.in_reply_to if parsed.in_reply_to and parsed.in_reply_to != own else None
    parent = parent or (references[-1] if references else None)
    candidates = list(dict.fromkeys([*([parsed.in_reply_to] if parsed.in_reply_to else []), *references]))
    candidates = [c for c in candidates if c != own]
    known = _stored(channel, candidates)
    if parsed.in_reply_to and parsed.in_reply_to in known:
        stored_as, conversation_id = known[parsed.in_reply_to]
        return ThreadPlacement(stored_as, conversation_id, "in-reply-to")
    for reference in reversed(references):
        if reference in known:
            return ThreadPlacement(parent, known[reference][1], "references")
    by_index = _thread_index_conversation(channel, parsed.thread_index)
    if by_index is not None:
        return ThreadPlacement(parent, by_index, "thread-index")
    for address in [*envelope_to, *parsed.to, *parsed.cc, *parsed.delivered_to]:
        conversation_id = conversation_from_address(channel, address)
        if conversation_id is not None:
            return ThreadPlacement(parent, conversation_id, "reply-token")
    return ThreadPlacement(parent, None, "new")


def _stored(channel, message_ids: list[str]) -> dict[str, tuple[str, int]]:
    """Message-ID -> (external id, conversation id) of those stored on the channel, whether they
    were stored with or without <brackets>."""
    if not message_ids:
        return {}
    rows = Message.objects.filter(
        channel=channel, external_id__in=[*message_ids, *(f"<{m}>" for m in message_ids)]
    ).values_list("external_id", "conversation_id")
    return {external_id.strip("<>"): (external_id, conversation_id) for external_id, conversation_id in rows}


def thread_index_root(value: str) -> str:
    """The part of an Outlook Thread-Index that every message of the thread shares ("" if none)."""
    try:
        data = base64.b64decode(value.strip(), validate=False)
    except (binascii.Error, ValueError):
        return ""
    if len(data) < THREAD_INDEX_ROOT_BYTES:
        return ""
    return data[:THREAD_INDEX_ROOT_BYTES].hex()


def _thread_index_conversation(channel, value: str) -> int | None:
    root = thread_index_root(value) if value else ""
    if not root:
        return None
    recent = timezone.now() - THREAD_INDEX_WINDOW
    # received_at leads an index: only the recent messages' payloads are read.
    return (
        Message.objects.filter(channel=channel, received_at__gte=recent, raw__thread_index_root=root)
        .order_by("-id")
        .values_list("conversation_id", flat=True)
        .first()
    )
