"""Choosing messages to re-triage and running triage on them, in this process or as tasks."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from townsquare.inbox.models import Direction, Message
from townsquare.labels.models import TriageStatus

STATUSES = ("failed", "fast", "semantic", "missing")


@dataclass(frozen=True)
class Selection:
    since: datetime | None = None  # messages written at or after (created_at)
    until: datetime | None = None  # and before
    channel_id: int | None = None
    conversation_id: int | None = None
    status: str | None = None  # one of STATUSES; missing = never labelled

    def messages(self) -> QuerySet[Message]:
        """The inbound messages in range: only inbound messages are triaged."""
        messages = Message.objects.filter(direction=Direction.INBOUND)
        if self.since is not None:
            messages = messages.filter(created_at__gte=self.since)
        if self.until is not None:
            messages = messages.filter(created_at__lt=self.until)
        if self.channel_id is not None:
            messages = messages.filter(channel_id=self.channel_id)
        if self.conversation_id is not None:
            messages = messages.filter(conversation_id=self.conversation_id)
        if self.status == "missing":
            messages = messages.filter(labels__isnull=True)
        elif self.status is not None:
            messages = messages.filter(labels__status=TriageStatus(self.status))
        return messages

    def id_batches(self, size: int) -> Iterator[list[int]]:
        """Message ids in id order, `size` at a time; keyset paging, so rows labelled meanwhile
        (which may leave a --status selection) never shift a page."""
        after = 0
        while True:
            batch = list(
                self.messages().filter(pk__gt=after).order_by("pk").values_list("pk", flat=True)[:size]
            )
            if not batch:
                return
            yield batch
            after = batch[-1]


@dataclass
class Counts:
    selected: int = 0
    labelled: int = 0
    failed: int = 0
    semantic: int = 0
    semantic_failed: int = 0
    tasks: int = 0


def retriage_here(
    selection: Selection,
    *,
    batch_size: int,
    fast_only: bool = False,
    progress: Callable[[Counts, int], None] | None = None,
) -> Counts:
    """Run triage on the selection in this process; `progress(counts, total)` after each batch."""
    from townsquare.labels.fast import label_fast
    from townsquare.labels.semantic import label_semantic

    total = selection.messages().count()
    counts = Counts()
    for batch in selection.id_batches(batch_size):
        counts.selected += len(batch)
        fast = label_fast(batch)
        counts.labelled += len(fast.labelled)
        counts.failed += len(fast.failed)
        if not fast_only and fast.labelled:
            semantic = label_semantic(fast.labelled)
            counts.semantic += len(semantic.labelled)
            counts.semantic_failed += len(semantic.failed)
        if progress is not None:
            progress(counts, total)
    return counts


def retriage_background(selection: Selection, *, batch_size: int, fast_only: bool = False) -> Counts:
    """Enqueue triage tasks for the selection; the workers do the rest."""
    from townsquare.labels.enqueue import enqueue_fast

    counts = Counts()
    for batch in selection.id_batches(batch_size):
        counts.tasks += enqueue_fast(batch, size=batch_size, bulk=True, then_semantic=not fast_only)
        counts.selected += len(batch)
    return counts
