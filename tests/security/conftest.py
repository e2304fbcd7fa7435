"""Fixtures for the sign-in and audit tests."""

from datetime import UTC, datetime

import pytest

from townsquare.events.log import record
from townsquare.events.models import Event


def day(d: int) -> datetime:
    return datetime(2026, 11, d, 12, 0, tzinfo=UTC)


@pytest.fixture
def audit_trail(db, alice, bruno, carol):
    """A few events by different people, on two conversations, over three days."""
    record("auth.login", actor=alice, data={"ip": "198.51.100.7", "method": "password"}, occurred_at=day(1))
    record(
        "conversation.assigned",
        actor=carol,
        conversation_id=11,
        data={"assignee_id": alice.pk},
        occurred_at=day(2),
    )
    record(
        "note.added", actor=alice, conversation_id=11, data={"note_id": 1, "mentions": []}, occurred_at=day(2)
    )
    record(
        "conversation.status_changed",
        actor=bruno,
        conversation_id=12,
        data={"from": "new", "to": "open"},
        occurred_at=day(3),
    )
    record("auth.logout", actor=bruno, data={"ip": "203.0.113.9", "reason": "user"}, occurred_at=day(3))
    return list(Event.objects.order_by("id"))
