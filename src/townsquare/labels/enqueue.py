"""Asking for triage: background tasks of at most CHUNK messages, enqueued once the data is committed."""

from collections.abc import Sequence

from django.conf import settings
from django.db import transaction

# Live messages (webhook, community) go before file imports and retriage runs on the triage
# queue: a million-row import must not delay the labels of a message that just arrived.
LIVE_PRIORITY = 0
BULK_PRIORITY = -10
# One task row per this many messages keeps ingest's overhead to a single INSERT per chunk,
# and a chunk is still small enough for the fast path to label it well within a second.
CHUNK = 500


def chunks(message_ids: Sequence[int], size: int = CHUNK) -> list[list[int]]:
    return [list(message_ids[start : start + size]) for start in range(0, len(message_ids), size)]


def enqueue_fast(
    message_ids: Sequence[int], *, size: int = CHUNK, bulk: bool = False, then_semantic: bool = True
) -> int:
    """Enqueue the fast path (which enqueues the semantic path) now; returns the number of tasks."""
    from townsquare.labels.tasks import triage_fast_task

    task = triage_fast_task.using(priority=BULK_PRIORITY if bulk else LIVE_PRIORITY)
    batches = chunks(message_ids, size)
    for batch in batches:
        task.enqueue(batch, then_semantic=then_semantic)
    return len(batches)


def enqueue_semantic(message_ids: Sequence[int], *, size: int = CHUNK) -> int:
    from townsquare.labels.tasks import triage_semantic_task

    batches = chunks(message_ids, size)
    for batch in batches:
        triage_semantic_task.enqueue(batch)
    return len(batches)


def triage_after_commit(message_ids: Sequence[int], *, bulk: bool = False) -> None:
    """Called by ingest for the inbound messages it stored (`bulk`: from a file import). With
    TOWNSQUARE_TRIAGE off nothing is enqueued; `townsquare retriage --status missing` catches up."""
    if message_ids and settings.TRIAGE_ON_INGEST:
        ids = list(message_ids)
        # After commit: a worker must never look for messages a rolled-back batch did not store.
        transaction.on_commit(lambda: enqueue_fast(ids, bulk=bulk))
