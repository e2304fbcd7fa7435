"""Readers of solved community topics, and the contacts customers opened, for contacts deflected.

`community.topic_viewed` (first view per visitor) becomes a TopicViewFact when the topic had an
accepted answer at that moment. `conversation.created` naming a customer becomes a *contact mark*
in the same table: topic_id 0 (no topic has id 0), viewer "c:<conversation id>", the customer, and
viewed_at = when the conversation started. The cost section then reads views and contacts with one
indexed query and checks, per identifiable reader, whether a contact followed within 7 days.
(A `customer_id` column on ConversationFact would be the natural home; this keeps the schema.)
"""

from datetime import datetime

from townsquare.insights import projection
from townsquare.insights.folding import EventRow, FoldBatch, after_fold, folds
from townsquare.insights.models import TopicViewFact

CONTACT_TOPIC = 0
# SQLite caps the number of bound parameters in one statement.
IDS_PER_QUERY = 900


def contact_key(conversation_id: int) -> str:
    return f"c:{conversation_id}"


def _int_or_none(value) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


@folds("community.topic_viewed")
def topic_viewed(event: EventRow, batch: FoldBatch) -> None:
    data = event.data
    topic_id, viewer = _int_or_none(data.get("topic")), str(data.get("viewer") or "")
    if not data.get("solved") or not topic_id or not viewer:
        return
    views = batch.extra.setdefault("topic_views", {})
    views.setdefault(
        (topic_id, viewer[:80]),
        TopicViewFact(
            topic_id=topic_id,
            viewer=viewer[:80],
            member_id=_int_or_none(data.get("member_id")),
            customer_id=_int_or_none(data.get("customer_id")),
            viewed_at=event.occurred_at,
        ),
    )


@folds("conversation.created")
def contact_opened(event: EventRow, batch: FoldBatch) -> None:
    customer_id = _int_or_none(event.data.get("customer_id"))
    if customer_id is not None and event.conversation_id is not None:
        contacts = batch.extra.setdefault("contacts", {})
        contacts[event.conversation_id] = (customer_id, event.occurred_at)


@after_fold
def write_views(batch: FoldBatch) -> None:
    views = batch.extra.get("topic_views") or {}
    contacts = batch.extra.get("contacts") or {}
    rows = list(views.values())
    for cid, (customer_id, at) in contacts.items():
        rows.append(
            TopicViewFact(
                topic_id=CONTACT_TOPIC,
                viewer=contact_key(cid),
                customer_id=customer_id,
                viewed_at=_started(batch, cid, at),
            )
        )
    if rows:
        TopicViewFact.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    _move_contact_marks(batch, set(contacts))


def _started(batch: FoldBatch, conversation_id: int, default: datetime) -> datetime:
    fact = batch.facts.get(conversation_id)
    return fact.started_at if fact is not None and fact.started_at is not None else default


def _move_contact_marks(batch: FoldBatch, written: set[int]) -> None:
    """A conversation's start moves when its messages are folded in a later chunk, or an earlier
    message arrives late: its contact mark follows."""
    ids = sorted(cid for cid in batch.rescan if cid not in written and cid in batch.facts)
    changed = []
    for start in range(0, len(ids), IDS_PER_QUERY):
        keys = [contact_key(cid) for cid in ids[start : start + IDS_PER_QUERY]]
        for mark in TopicViewFact.objects.filter(topic_id=CONTACT_TOPIC, viewer__in=keys):
            started = batch.facts[int(mark.viewer[2:])].started_at
            if started is not None and started != mark.viewed_at:
                mark.viewed_at = started
                changed.append(mark)
    if changed:
        TopicViewFact.objects.bulk_update(changed, ["viewed_at"], batch_size=500)


def reset_views() -> None:
    TopicViewFact.objects.all().delete()


projection.RESETTERS.append(reset_views)
