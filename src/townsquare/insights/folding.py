"""Folding events into the projection: a registry of handlers and the batch they write to.

A handler is `@folds("kind")`-decorated `fn(event, batch)`. It reads the event and changes the
batch's in-memory rows; the batch writes everything once, at the end, in the refresh's
transaction. Areas with rows of their own register `@after_fold` writers.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from townsquare.insights.models import ClosedPeriod, ConversationFact, MessageFact
from townsquare.insights.rows import load_facts

HANDLERS: dict[str, list[Callable]] = defaultdict(list)
WRITERS: list[Callable] = []


def folds(*kinds: str):
    def register(handler):
        for kind in kinds:
            HANDLERS[kind].append(handler)
        return handler

    return register


def after_fold(writer):
    """`writer(batch)` runs after the batch's own rows are written, in the same transaction."""
    WRITERS.append(writer)
    return writer


@dataclass(frozen=True, slots=True)
class EventRow:
    id: int
    kind: str
    occurred_at: datetime
    actor_id: int | None
    channel_id: int | None
    conversation_id: int | None
    message_id: int | None
    data: dict


@dataclass
class FoldBatch:
    """Rows one chunk of events changes. `extra` holds pending rows of other areas by name."""

    channel_kinds: dict[int, str]
    facts: dict[int, ConversationFact] = field(default_factory=dict)
    created: set[int] = field(default_factory=set)
    touched: set[int] = field(default_factory=set)
    # Conversations whose message-derived fields must be read again from MessageFact.
    rescan: set[int] = field(default_factory=set)
    new_messages: dict[int, MessageFact] = field(default_factory=dict)
    # message id -> {column: value} for message facts written in an earlier batch.
    message_updates: dict[int, dict] = field(default_factory=lambda: defaultdict(dict))
    # (from, into) conversation merges, in event order.
    merges: list[tuple[int, int]] = field(default_factory=list)
    extra: dict[str, object] = field(default_factory=dict)
    current_event_id: int = 0
    # Stamped on every fact this batch changes (ConversationFact.last_event_id): the checkpoint's
    # count of events read once this batch commits, so warm frames can ask what changed since.
    stamp: int = 0
    # (start, end) of the closed periods, read once per batch by `hold`.
    closed: list | None = None

    def preload(self, conversation_ids) -> None:
        wanted = {cid for cid in conversation_ids if cid is not None and cid not in self.facts}
        if wanted:
            self.facts.update(load_facts(sorted(wanted)))

    def fact(
        self, conversation_id: int | None, *, create_at: datetime | None = None
    ) -> ConversationFact | None:
        """The conversation's fact to change, or None: unknown (and not to be created), or frozen in
        a closed period — then the event is counted as late instead."""
        if conversation_id is None:
            return None
        fact = self.facts.get(conversation_id)
        if fact is None:
            if create_at is None:
                return None
            fact = ConversationFact(conversation_id=conversation_id, started_at=create_at)
            self.facts[conversation_id] = fact
            self.created.add(conversation_id)
        if fact.frozen:
            fact.late_events += 1
            self.touched.add(conversation_id)
            return None
        self.touched.add(conversation_id)
        return fact

    def hold(self, facts) -> None:
        """A fact that is not frozen but starts inside a closed period (new, or moved there by an
        old-dated message) is held out of the figures until that period is recomputed."""
        if not facts:
            return
        if self.closed is None:
            self.closed = list(ClosedPeriod.objects.values_list("start", "end"))
        for fact in facts:
            fact.held = any(start <= fact.started_at < end for start, end in self.closed)
