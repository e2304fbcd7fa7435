"""Conversations and shifts for the timing tests, written as events (the only source insights read)."""

from datetime import datetime, timedelta

from townsquare.events.log import record

_next = {"id": 1000}


def conversation(written: datetime, wait_seconds: float | None = None) -> int:
    """A conversation whose customer wrote at `written`, answered `wait_seconds` later (or never)."""
    _next["id"] += 1
    cid = _next["id"]
    record("conversation.created", conversation_id=cid, occurred_at=written)
    record(
        "message.received",
        conversation_id=cid,
        message_id=cid * 10,
        data={"direction": "in", "written_at": written.isoformat()},
        occurred_at=written,
    )
    if wait_seconds is not None:
        answered = written + timedelta(seconds=wait_seconds)
        record(
            "message.received",
            conversation_id=cid,
            message_id=cid * 10 + 1,
            data={"direction": "out", "written_at": answered.isoformat()},
            occurred_at=answered,
        )
    return cid


def shift(user, start: datetime, end: datetime | None) -> None:
    record(
        "agent.presence_changed",
        actor=user,
        data={"user_id": user.pk, "from": "offline", "to": "online"},
        occurred_at=start,
    )
    if end is not None:
        record(
            "agent.presence_changed",
            actor=user,
            data={"user_id": user.pk, "from": "online", "to": "offline"},
            occurred_at=end,
        )
