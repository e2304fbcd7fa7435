"""Refreshing the projection from the event log: read events after the checkpoint, fold, write.

Each chunk is one transaction that also moves the checkpoint, so a crash never folds an event
twice or skips one. Ids that were missing when read (a PostgreSQL transaction that took its id
earlier and commits later) are kept as gaps and read again until they appear or time out.
"""

import json
import time
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from townsquare.events.models import Event
from townsquare.inbox.models import Channel
from townsquare.insights.derive import derive_all
from townsquare.insights.folding import HANDLERS, WRITERS, EventRow, FoldBatch
from townsquare.insights.models import Checkpoint, ConversationFact, MessageFact
from townsquare.insights.rows import moment_reader
from townsquare.insights.writing import write_batch

CHECKPOINT = "main"
CHUNK = 5000
# A missing id not seen after this long belonged to a rolled-back transaction.
GAP_TIMEOUT_SECONDS = 600
# At most this many missing ids are watched (concurrent writers leave a handful at a time).
MAX_GAPS = 1000
EVENT_TABLE = Event._meta.db_table
COLUMNS = ("id", "kind", "occurred_at", "actor_id", "channel_id", "conversation_id", "message_id", "data")


@dataclass
class RefreshResult:
    events: int = 0
    folded: int = 0
    conversations: int = 0
    last_event_id: int = 0

    def as_dict(self) -> dict:
        return {
            "events": self.events,
            "folded": self.folded,
            "conversations": self.conversations,
            "last_event_id": self.last_event_id,
        }


def refresh(*, max_chunks: int | None = None) -> RefreshResult:
    """Fold every event after the checkpoint (and late gaps); returns what was read."""
    result = RefreshResult()
    state = Checkpoint.objects.filter(name=CHECKPOINT).values_list("last_event_id", "gaps").first()
    newest = Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    if state is not None and not state[1] and newest <= state[0]:
        # Nothing to fold: no write transaction (on SQLite it would wait for the write lock).
        result.last_event_id = state[0]
        return result
    chunks = 0
    while max_chunks is None or chunks < max_chunks:
        read = _refresh_chunk(result)
        chunks += 1
        if read < CHUNK:
            break
    return result


def behind() -> int:
    """How many events the projection has not read yet (0: up to date)."""
    newest = Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    done = Checkpoint.objects.filter(name=CHECKPOINT).values_list("last_event_id", flat=True).first() or 0
    return max(0, newest - done)


def rebuild() -> RefreshResult:
    """Forget the projection and fold the whole log again. Closed periods get the figures the
    whole log implies, late changes included, and are frozen again."""
    from townsquare.insights.brand_posts import score_pending
    from townsquare.insights.frame_cache import bump_generation
    from townsquare.insights.periods import refreeze_all

    with transaction.atomic():
        ConversationFact.objects.all().delete()
        MessageFact.objects.all().delete()
        for writer in RESETTERS:
            writer()
        Checkpoint.objects.update_or_create(
            name=CHECKPOINT, defaults={"last_event_id": 0, "gaps": [], "events_folded": 0}
        )
        bump_generation()
    result = refresh()
    # Brand posts are scored outside the fold; score them all before closed periods freeze again.
    score_pending()
    refreeze_all()
    return result


# Areas with rows of their own register a function that empties them for `rebuild`.
RESETTERS: list = []


def _refresh_chunk(result: RefreshResult) -> int:
    with transaction.atomic():
        checkpoint, _ = Checkpoint.objects.select_for_update().get_or_create(name=CHECKPOINT)
        events = read_events(checkpoint.last_event_id, [gap_id for gap_id, _ in checkpoint.gaps])
        newest = max([checkpoint.last_event_id, *(event.id for event in events)])
        checkpoint.gaps = _gaps_after(checkpoint, events, newest)
        # Every event read counts, handled or not: the count only grows, so it stamps changes.
        folded, touched = _fold(events, stamp=checkpoint.events_folded + len(events))
        checkpoint.last_event_id = newest
        checkpoint.events_folded += len(events)
        checkpoint.updated_at = timezone.now()
        checkpoint.save()
    result.events += len(events)
    result.folded += folded
    result.conversations += touched
    result.last_event_id = newest
    return len(events)


def read_events(after: int, gap_ids: list[int], limit: int = CHUNK) -> list[EventRow]:
    """Up to `limit` events after id `after` or among `gap_ids`, in id order. Raw SQL: the ORM's
    per-value converters cost more than the query on a chunk of thousands of events."""
    where, params = "id > %s", [after]
    if gap_ids:
        where += f" OR id IN ({', '.join(['%s'] * len(gap_ids))})"
        params.extend(gap_ids)
    sql = f"SELECT {', '.join(COLUMNS)} FROM {EVENT_TABLE} WHERE {where} ORDER BY id LIMIT %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit])
        rows = cursor.fetchall()
    moment = moment_reader()
    return [
        EventRow(pk, kind, moment(at), actor, channel, conversation, message, _json(data))
        for pk, kind, at, actor, channel, conversation, message, data in rows
    ]


def _json(value):
    if value is None:
        return {}
    return json.loads(value) if isinstance(value, (str, bytes)) else value


def _gaps_after(checkpoint: Checkpoint, events: list[EventRow], newest: int) -> list:
    now = time.time()
    seen = {event.id for event in events}
    kept = [
        [gap_id, since]
        for gap_id, since in checkpoint.gaps
        if gap_id not in seen and now - since < GAP_TIMEOUT_SECONDS
    ]
    fresh = [e for e in events if e.id > checkpoint.last_event_id]
    # A first read starts at the oldest event there is: ids below it are history, not in flight.
    expected = checkpoint.last_event_id + 1 if checkpoint.last_event_id or not fresh else fresh[0].id
    for event in fresh:
        # Only a recent hole can be a transaction still in flight: one below an event written
        # before the timeout is a rollback for good (a fresh fold of an old log has many).
        if now - event.occurred_at.timestamp() < GAP_TIMEOUT_SECONDS:
            kept.extend([missing, now] for missing in range(max(expected, event.id - MAX_GAPS), event.id))
        expected = event.id + 1
    return kept[-MAX_GAPS:]


def fold_events(events: list[EventRow]) -> tuple[int, int]:
    """Fold these events (already read, in id order) without moving the checkpoint: for
    recomputing a closed period's conversations (insights.periods)."""
    count = Checkpoint.objects.filter(name=CHECKPOINT).values_list("events_folded", flat=True).first() or 0
    return _fold(events, stamp=count + 1)


def _fold(events: list[EventRow], *, stamp: int) -> tuple[int, int]:
    """Fold the events; (how many had a handler, how many conversations changed)."""
    if not events:
        return 0, 0
    batch = FoldBatch(channel_kinds=dict(Channel.objects.values_list("pk", "kind")), stamp=stamp)
    batch.preload(event.conversation_id for event in events)
    folded = 0
    for event in events:
        handlers = HANDLERS.get(event.kind)
        if not handlers:
            continue
        batch.current_event_id = event.id
        for handler in handlers:
            handler(event, batch)
        folded += 1
    write_batch(batch, derive_all)
    for writer in WRITERS:
        writer(batch)
    return folded, len(batch.touched)
