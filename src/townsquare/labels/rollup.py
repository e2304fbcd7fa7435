"""Conversation roll-up of its inbound messages' labels, for the console's list and filters."""

from collections.abc import Iterable

from django.utils import timezone

from townsquare.inbox.models import Conversation, Direction, Message
from townsquare.labels.models import MessageLabels
from townsquare.triage.labels import PRIORITIES, UNDETERMINED

# The kind that asks most of the team comes first: it names the conversation.
KIND_PRECEDENCE = ("complaint", "problem", "question", "suggestion", "praise", "chatter", "spam")
ROLLUP_FIELDS = ["language", "kind", "sentiment", "priority", "invites_reply", "not_for_us", "triage_pending"]


def roll_up(conversation_ids: Iterable[int]) -> int:
    """Recompute the roll-up fields of these conversations; returns how many were updated."""
    ids = sorted({cid for cid in conversation_ids if cid is not None})
    if not ids:
        return 0
    inbound = (
        Message.objects.filter(conversation_id__in=ids, direction=Direction.INBOUND)
        .order_by("conversation_id", "created_at", "id")
        .values_list("conversation_id", "id")
    )
    messages_of: dict[int, list[int]] = {}
    for conversation_id, message_id in inbound:
        messages_of.setdefault(conversation_id, []).append(message_id)
    labels = {
        row["message_id"]: row
        for row in MessageLabels.objects.filter(conversation_id__in=ids).values(
            "message_id", "language", "kind", "sentiment", "priority", "invites_reply", "not_for_us", "status"
        )
    }
    conversations = []
    for conversation_id in ids:
        conversation = Conversation(pk=conversation_id, updated_at=timezone.now())
        summarise(
            conversation, [labels.get(message_id) for message_id in messages_of.get(conversation_id, [])]
        )
        conversations.append(conversation)
    Conversation.objects.bulk_update(conversations, [*ROLLUP_FIELDS, "updated_at"], batch_size=500)
    return len(conversations)


def summarise(conversation: Conversation, inbound: list[dict | None]) -> None:
    """Set the roll-up fields from the inbound messages' label rows (None: not labelled yet), oldest first."""
    labelled = [row for row in inbound if row is not None and row["kind"]]
    conversation.triage_pending = any(row is None for row in inbound)
    conversation.language = next(
        (row["language"] for row in labelled if row["language"] and row["language"] != UNDETERMINED), ""
    )
    kinds = {row["kind"] for row in labelled}
    conversation.kind = next((kind for kind in KIND_PRECEDENCE if kind in kinds), "")
    conversation.sentiment = labelled[-1]["sentiment"] if labelled else ""
    priorities = [row["priority"] for row in labelled if row["priority"] in PRIORITIES]
    conversation.priority = max(priorities, key=PRIORITIES.index) if priorities else ""
    conversation.invites_reply = any(row["invites_reply"] for row in labelled) if labelled else None
    # Unlabelled (pending or failed) messages are not known to be for someone else: they keep the
    # conversation in the main view.
    conversation.not_for_us = bool(inbound) and all(row is not None and row["not_for_us"] for row in inbound)
