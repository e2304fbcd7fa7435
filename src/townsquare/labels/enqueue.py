"""Asking for triage: background tasks of at most CHUNK messages, enqueued once the data is committed."""

from collections.abc import Sequence

from django.conf import settings
from django.db import transaction

# One task row per this many messages keeps ingest's overhead to a single INSERT per chunk,
# and a chunk is still small enough for the fast path to label it well within a second.
CHUNK = 500


def chunks(message_ids: Sequence[int], size: int = CHUNK) -> list[list[int]]:
    return [list(message_ids[start : start + size]) for start in range(0, len(message_ids), size)]


def enqueue_fast(message_ids: Sequence[int], *, size: int = CHUNK) -> int:
    """Enqueue the fast path (which enqueues the semantic path) now; returns the number of tasks."""
    from townsquare.labels.tasks import triage_fast_task

    batches = chunks(message_ids, size)
    for batch in batches:
        triage_fast_task.enqueue(batch)
    return len(batches)


def enqueue_semantic(message_ids: Sequence[int], *, size: int = CHUNK) -> int:
    from townsquare.labels.tasks import triage_semantic_task

    batches = chunks(message_ids, size)
    for batch in batches:
        triage_semantic_task.enqueue(batch)
    return len(batches)


def triage_after_commit(message_ids: Sequence[int]) -> None:
    """Called by ingest for the inbound messages it stored. With TOWNSQUARE_TRIAGE off (bulk
    imports) nothing is enqueued and `townsquare retriage --status missing` catches up later."""
    if message_ids and settings.TRIAGE_ON_INGEST:
        ids = list(message_ids)
        # After commit: a worker must never look for messages a rolled-back batch did not store.
        transaction.on_commit(lambda: enqueue_fast(ids))
