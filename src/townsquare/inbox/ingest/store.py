"""Store batches of normalized messages: idempotent, threaded, counted, with their events.

One call is one transaction. A message already stored for the channel (same external id) is a
duplicate and changes nothing, so a repeated or concurrent delivery stores each message once.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from townsquare.events.models import Event
from townsquare.inbox.ingest.authors import AuthorCache, resolve_authors
from townsquare.inbox.ingest.bulk_sql import (
    db_datetime,
    db_json,
    execute_many,
    insert_returning,
    select_in,
)
from townsquare.inbox.ingest.normalized import InboundMessage
from townsquare.inbox.ingest.reattach import reattach_orphans
from townsquare.inbox.ingest.threading import NewConversation, thread_batch
from townsquare.inbox.models import Channel, Conversation, Message

MESSAGE = Message._meta.db_table
CONVERSATION = Conversation._meta.db_table
EVENT = Event._meta.db_table
EVENT_COLUMNS = ["kind", "occurred_at", "actor_id", "channel_id", "conversation_id", "message_id", "data"]


@dataclass
class StoreResult:
    stored: int = 0
    duplicates: int = 0
    conversations_created: int = 0
    # (external id, "stored" | "duplicate", message id) in input order, when asked for
    outcomes: list[tuple[str, str, int]] = field(default_factory=list)


def store_messages(
    channel: Channel,
    messages: list[InboundMessage],
    *,
    source: str,
    want_outcomes: bool = True,
    authors: AuthorCache | None = None,
) -> StoreResult:
    """Store what is new among `messages` for `channel`; see the module docstring."""
    result = StoreResult()
    if not messages:
        return result
    with transaction.atomic(savepoint=False):
        now = timezone.now()
        unique = _first_of_each_id(messages)
        author_ids = resolve_authors(channel.pk, list(unique.values()), now, authors)
        new_ids = _insert_messages(channel.pk, unique, author_ids, now)
        result.stored = len(new_ids)
        result.duplicates = len(messages) - result.stored
        if new_ids:
            conversation_of, events = _thread_new_messages(
                channel.pk, unique, new_ids, author_ids, now, source, result
            )
            _insert_events(events)
            reattach_orphans(channel.pk, new_ids, conversation_of, now)
        Channel.objects.filter(pk=channel.pk).update(
            messages_stored=F("messages_stored") + result.stored,
            messages_duplicate=F("messages_duplicate") + result.duplicates,
        )
        if want_outcomes:
            result.outcomes = _outcomes(channel.pk, messages, new_ids)
    return result


def count_rejected(channel: Channel, count: int) -> None:
    if count:
        Channel.objects.filter(pk=channel.pk).update(messages_rejected=F("messages_rejected") + count)


def _first_of_each_id(messages: list[InboundMessage]) -> dict[str, InboundMessage]:
    unique: dict[str, InboundMessage] = {}
    for message in messages:
        unique.setdefault(message.external_id, message)
    return unique


def _insert_messages(channel_id, unique, author_ids, now) -> dict[str, int]:
    received = db_datetime(now)
    # Sorted so that concurrent writers take unique-index locks in the same order (no deadlock).
    rows = [
        (
            channel_id,
            m.external_id,
            m.parent_external_id,
            m.direction,
            author_ids[m.author_id][0],
            m.text,
            db_datetime(m.created_at),
            received,
            db_json(m.raw),
        )
        for m in sorted(unique.values(), key=lambda m: m.external_id)
    ]
    returned = insert_returning(
        MESSAGE,
        [
            "channel_id",
            "external_id",
            "parent_external_id",
            "direction",
            "author_id",
            "text",
            "created_at",
            "received_at",
            "raw",
        ],
        rows,
        conflict=["channel_id", "external_id"],
        returning=["external_id", "id"],
        json_columns=(8,),
    )
    return dict(returned)


def _thread_new_messages(channel_id, unique, new_ids, author_ids, now, source, result):
    """Put new messages into conversations; return (external id -> conversation id, event rows)."""
    parents = {external_id: unique[external_id].parent_external_id for external_id in new_ids}
    outside = {p for p in parents.values() if p is not None and p not in new_ids}
    stored_parents = {
        external_id: (message_id, conversation_id)
        for external_id, message_id, conversation_id in select_in(
            MESSAGE,
            ["external_id", "id", "conversation_id"],
            "external_id",
            sorted(outside),
            where="channel_id = %s",
            params=(channel_id,),
        )
    }
    plan = thread_batch(parents, new_ids, stored_parents)
    conversation_of = dict(plan.joins)
    conversation_of.update(_create_conversations(channel_id, plan.new, unique, new_ids, author_ids, now))
    result.conversations_created = len(plan.new)
    _grow_joined_conversations(plan.joins, unique, now)
    execute_many(
        f"UPDATE {MESSAGE} SET conversation_id = %s, parent_id = %s WHERE id = %s",
        [(conversation_of[e], plan.parent_ids.get(e), new_ids[e]) for e in new_ids],
    )
    stamp = db_datetime(now)
    events = [
        (
            "conversation.created",
            stamp,
            None,
            channel_id,
            conversation_of[group.root],
            new_ids[group.root],
            db_json({"source": source, "root_external_id": group.root}),
        )
        for group in plan.new
    ]
    for external_id, message_id in new_ids.items():
        message = unique[external_id]
        events.append(
            (
                "message.received",
                stamp,
                None,
                channel_id,
                conversation_of[external_id],
                message_id,
                db_json(
                    {
                        "direction": message.direction,
                        "written_at": message.created_at.isoformat(),
                        "source": source,
                    }
                ),
            )
        )
    return conversation_of, events


def _create_conversations(channel_id, groups: list[NewConversation], unique, new_ids, author_ids, now):
    stamp = db_datetime(now)
    rows = []
    for group in groups:
        members = [unique[e] for e in group.members]
        inbound = [m for m in members if m.direction == "in"]
        first_customer = min(inbound, key=lambda m: m.created_at) if inbound else None
        root = unique[group.root]
        rows.append(
            (
                channel_id,
                author_ids[first_customer.author_id][1] if first_customer else None,
                "new",
                root.text.strip().split("\n", 1)[0][:200],
                new_ids[group.root],
                db_datetime(min(m.created_at for m in members)),
                db_datetime(max(m.created_at for m in members)),
                len(members),
                stamp,
                stamp,
            )
        )
    returned = insert_returning(
        CONVERSATION,
        [
            "channel_id",
            "customer_id",
            "status",
            "subject",
            "root_message_id",
            "started_at",
            "last_activity_at",
            "message_count",
            "created_at",
            "updated_at",
        ],
        rows,
        returning=["root_message_id", "id"],
    )
    by_root = dict(returned)
    return {e: by_root[new_ids[group.root]] for group in groups for e in group.members}


def _grow_joined_conversations(joins: dict[str, int], unique, now) -> None:
    grown: dict[int, list[InboundMessage]] = {}
    for external_id, conversation_id in joins.items():
        grown.setdefault(conversation_id, []).append(unique[external_id])
    execute_many(
        f"UPDATE {CONVERSATION} SET message_count = message_count + %s,"
        " started_at = CASE WHEN started_at < %s THEN started_at ELSE %s END,"
        " last_activity_at = CASE WHEN last_activity_at > %s THEN last_activity_at ELSE %s END,"
        " updated_at = %s WHERE id = %s",
        [
            (len(ms), first, first, last, last, db_datetime(now), conversation_id)
            for conversation_id, ms in sorted(grown.items())
            for first, last in [
                (db_datetime(min(m.created_at for m in ms)), db_datetime(max(m.created_at for m in ms)))
            ]
        ],
    )


def _insert_events(events: list[tuple]) -> None:
    insert_returning(EVENT, EVENT_COLUMNS, events, returning=None, json_columns=(6,))


def _outcomes(channel_id, messages, new_ids) -> list[tuple[str, str, int]]:
    missing = sorted({m.external_id for m in messages} - set(new_ids))
    existing = dict(
        select_in(
            MESSAGE,
            ["external_id", "id"],
            "external_id",
            missing,
            where="channel_id = %s",
            params=(channel_id,),
        )
    )
    outcomes, seen = [], set()
    for m in messages:
        if m.external_id in new_ids and m.external_id not in seen:
            outcomes.append((m.external_id, "stored", new_ids[m.external_id]))
        else:
            outcomes.append(
                (m.external_id, "duplicate", new_ids.get(m.external_id) or existing.get(m.external_id))
            )
        seen.add(m.external_id)
    return outcomes
