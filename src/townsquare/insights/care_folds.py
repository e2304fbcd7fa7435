"""How care events change conversation and message facts."""

from datetime import datetime

from townsquare.insights.folding import EventRow, FoldBatch, folds
from townsquare.insights.models import MessageFact
from townsquare.insights.roles import levels_by_user

SENTIMENT_CODES = {"negative": -1, "neutral": 0, "positive": 1}
FINISHED = ("resolved", "closed")
# SLA clocks: which fact column each metric of `sla.*` events lands in.
SLA_COLUMNS = {"first_response": "sla_first_response", "resolution": "sla_resolution"}


def parse_time(value, default: datetime) -> datetime:
    if not value:
        return default
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return default


@folds("conversation.created")
def conversation_created(event: EventRow, batch: FoldBatch) -> None:
    fact = batch.fact(event.conversation_id, create_at=event.occurred_at)
    if fact is not None and event.channel_id is not None:
        fact.channel_id = event.channel_id
        fact.channel_kind = batch.channel_kinds.get(event.channel_id, "")
        batch.rescan.add(fact.conversation_id)


def _add_message(event: EventRow, batch: FoldBatch, direction: str, written_at: datetime) -> None:
    if event.message_id is None:
        return
    fact = batch.fact(event.conversation_id, create_at=written_at)
    if fact is None:
        return
    if fact.channel_id is None and event.channel_id is not None:
        fact.channel_id = event.channel_id
        fact.channel_kind = batch.channel_kinds.get(event.channel_id, "")
    batch.new_messages[event.message_id] = MessageFact(
        message_id=event.message_id,
        conversation_id=event.conversation_id,
        channel_id=event.channel_id,
        direction=direction,
        written_at=written_at,
    )
    batch.rescan.add(fact.conversation_id)


@folds("message.received")
def message_received(event: EventRow, batch: FoldBatch) -> None:
    # Imported and webhook messages carry the time their author wrote them.
    direction = event.data.get("direction", "in")
    _add_message(
        event,
        batch,
        "out" if direction == "out" else "in",
        parse_time(event.data.get("written_at"), event.occurred_at),
    )


@folds("message.sent")
def message_sent(event: EventRow, batch: FoldBatch) -> None:
    _add_message(event, batch, "out", event.occurred_at)


@folds("conversation.merged")
def conversation_merged(event: EventRow, batch: FoldBatch) -> None:
    source, target = event.data.get("from"), event.data.get("into")
    if source is None or target is None:
        return
    batch.preload([source, target])
    merged = batch.fact(source)
    if merged is not None:
        merged.merged_into = target
    batch.fact(target, create_at=event.occurred_at)
    batch.merges.append((source, target))
    batch.rescan.add(target)


@folds("conversation.status_changed")
def status_changed(event: EventRow, batch: FoldBatch) -> None:
    fact = batch.fact(event.conversation_id)
    if fact is None:
        return
    before, after = event.data.get("from", fact.status), event.data.get("to", fact.status)
    fact.status = after
    if after in FINISHED and before not in FINISHED:
        # Time to the latest resolution ("full resolution"); a reopen is counted, not hidden.
        fact.resolved_at = event.occurred_at
        fact.resolution_inferred = False
        if fact.handler_level == "ambassador":
            fact.peer_resolved = True
    elif before in FINISHED and after not in FINISHED:
        fact.reopens += 1
        fact.resolved_at = None


@folds("conversation.queued")
def queued(event: EventRow, batch: FoldBatch) -> None:
    fact = batch.fact(event.conversation_id)
    if fact is not None:
        fact.queue_id = event.data.get("queue_id")


@folds("conversation.assigned")
def assigned(event: EventRow, batch: FoldBatch) -> None:
    fact = batch.fact(event.conversation_id)
    if fact is None:
        return
    fact.assignee_id = event.data.get("assignee_id")
    if event.data.get("queue_id") is not None:
        fact.queue_id = event.data["queue_id"]
    roles = batch.extra.get("roles")
    if roles is None:
        roles = batch.extra["roles"] = levels_by_user()
    fact.handler_level = roles.get(fact.assignee_id, fact.handler_level)


@folds("conversation.escalated")
def escalated(event: EventRow, batch: FoldBatch) -> None:
    fact = batch.fact(event.conversation_id)
    if fact is not None:
        fact.escalations += 1
        fact.handler_level = event.data.get("to_level") or fact.handler_level


@folds("sla.clock_started")
def sla_started(event: EventRow, batch: FoldBatch) -> None:
    fact = batch.fact(event.conversation_id)
    column = SLA_COLUMNS.get(event.data.get("metric"))
    if fact is not None and column and getattr(fact, column) == "":
        setattr(fact, column, "running")


@folds("sla.breached")
def sla_breached(event: EventRow, batch: FoldBatch) -> None:
    fact = batch.fact(event.conversation_id)
    column = SLA_COLUMNS.get(event.data.get("metric"))
    if fact is not None and column:
        setattr(fact, column, "breached")


@folds("csat.answered")
def csat_answered(event: EventRow, batch: FoldBatch) -> None:
    fact = batch.fact(event.conversation_id)
    if fact is not None and event.data.get("score") is not None:
        fact.csat_score = int(event.data["score"])


@folds("community.peer_resolution")
def peer_resolution(event: EventRow, batch: FoldBatch) -> None:
    fact = batch.fact(event.conversation_id)
    if fact is not None:
        fact.peer_resolved = True


@folds("conversation.labelled")
def labelled(event: EventRow, batch: FoldBatch) -> None:
    rows = event.data.get("conversations") or {}
    batch.preload(int(cid) for cid in rows)
    for cid, values in rows.items():
        fact = batch.fact(int(cid), create_at=event.occurred_at)
        if fact is None:
            continue
        language, kind, sentiment, priority, invites_reply, not_for_us = values
        fact.language, fact.kind, fact.sentiment, fact.priority = language, kind, sentiment, priority
        fact.invites_reply, fact.not_for_us = invites_reply, bool(not_for_us)


@folds("triage.labelled")
def message_sentiments(event: EventRow, batch: FoldBatch) -> None:
    for message_id, sentiment, score in event.data.get("sentiments") or ():
        _set_message(batch, message_id, sentiment=SENTIMENT_CODES.get(sentiment), sentiment_score=score)


@folds("triage.corrected")
def corrected(event: EventRow, batch: FoldBatch) -> None:
    if event.data.get("field") == "sentiment" and event.message_id is not None:
        _set_message(batch, event.message_id, sentiment=SENTIMENT_CODES.get(event.data.get("new_value")))


def _set_message(batch: FoldBatch, message_id: int, **values) -> None:
    pending = batch.new_messages.get(message_id)
    if pending is not None:
        for name, value in values.items():
            setattr(pending, name, value)
    else:
        batch.message_updates[message_id].update(values)
