"""Conversation roll-up of its inbound messages' labels, for the console's list and filters."""

from collections.abc import Iterable

from django.utils import timezone

from townsquare.events.log import record
from townsquare.inbox.ingest.bulk_sql import datetime_adapter, execute_many
from townsquare.inbox.models import Conversation, Direction, Message
from townsquare.labels.models import MessageLabels
from townsquare.triage.labels import PRIORITIES, UNDETERMINED

# The kind that asks most of the team comes first: it names the conversation.
KIND_PRECEDENCE = ("complaint", "problem", "question", "suggestion", "praise", "chatter", "spam")
ROLLUP_FIELDS = ("language", "kind", "sentiment", "priority", "invites_reply", "not_for_us", "triage_pending")
# One statement run for every changed conversation: Django's bulk_update builds a CASE per column
# and row, which cost the fast path most of its time.
UPDATE = (
    f"UPDATE {Conversation._meta.db_table} SET "
    + ", ".join(f"{field} = %s" for field in ROLLUP_FIELDS)
    + ", updated_at = %s WHERE id = %s"
)


def roll_up(conversation_ids: Iterable[int]) -> int:
    """Recompute the roll-up fields of these conversations; returns how many changed."""
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
            "message_id", "language", "kind", "sentiment", "priority", "invites_reply", "not_for_us"
        )
    }
    current = {
        row[0]: row[1:] for row in Conversation.objects.filter(pk__in=ids).values_list("pk", *ROLLUP_FIELDS)
    }
    stamp = datetime_adapter()(timezone.now())
    changed = []
    for conversation_id, before in current.items():
        after = summarise([labels.get(message_id) for message_id in messages_of.get(conversation_id, [])])
        if after != before:
            changed.append((*after, stamp, conversation_id))
    execute_many(UPDATE, changed)
    if changed:
        # Insights read labels from the log: what each changed conversation is now.
        record(
            "conversation.labelled",
            data={"conversations": {row[-1]: list(row[:6]) for row in changed}},
        )
    return len(changed)


def summarise(inbound: list[dict | None]) -> tuple:
    """The ROLLUP_FIELDS values from the inbound messages' label rows (None: not labelled yet),
    oldest message first."""
    labelled = [row for row in inbound if row is not None and row["kind"]]
    language = next(
        (row["language"] for row in labelled if row["language"] and row["language"] != UNDETERMINED), ""
    )
    kinds = {row["kind"] for row in labelled}
    kind = next((kind for kind in KIND_PRECEDENCE if kind in kinds), "")
    sentiment = labelled[-1]["sentiment"] if labelled else ""
    priorities = [row["priority"] for row in labelled if row["priority"] in PRIORITIES]
    priority = max(priorities, key=PRIORITIES.index) if priorities else ""
    invites_reply = any(row["invites_reply"] for row in labelled) if labelled else None
    # Unlabelled (pending or failed) messages are not known to be for someone else: they keep the
    # conversation in the main view.
    not_for_us = bool(inbound) and all(row is not None and row["not_for_us"] for row in inbound)
    triage_pending = any(row is None for row in inbound)
    return language, kind, sentiment, priority, invites_reply, not_for_us, triage_pending
