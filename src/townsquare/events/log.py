"""Writing events. Call inside the transaction that makes the change the event describes."""

from townsquare.events.models import Event

# Column order for bulk writers (ingest) that insert many events with one statement.
BULK_COLUMNS = ["kind", "occurred_at", "actor_id", "channel_id", "conversation_id", "message_id", "data"]


def record(
    kind: str,
    *,
    actor=None,
    channel_id: int | None = None,
    conversation_id: int | None = None,
    message_id: int | None = None,
    data: dict | None = None,
    occurred_at=None,
) -> Event:
    event = Event(
        kind=kind,
        actor_id=getattr(actor, "pk", actor),
        channel_id=channel_id,
        conversation_id=conversation_id,
        message_id=message_id,
        data=data or {},
    )
    if occurred_at is not None:
        event.occurred_at = occurred_at
    event.save()
    return event
