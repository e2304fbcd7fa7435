"""The relay reads the event log by id; a transaction that commits after a later one leaves a hole
for a moment. Events that fill a hole are still relayed; other kinds are never read twice."""

import pytest

from townsquare.events.models import Event
from townsquare.realtime.relay import Relay

pytestmark = pytest.mark.django_db


def event(kind: str, event_id: int, message_id: int | None = None) -> None:
    """An event with a chosen id, as a transaction that took that id would commit it."""
    Event.objects.bulk_create([Event(id=event_id, kind=kind, message_id=message_id)])


def test_the_first_read_starts_at_the_newest_event():
    event("message.received", 10, message_id=1)
    relay = Relay()
    assert relay.read() == []
    assert relay.high == 10
    event("message.received", 11, message_id=2)
    event("conversation.created", 12)
    assert relay.read() == [("message.received", 2, {})]
    assert relay.read() == []


def test_an_event_that_commits_late_is_relayed_when_it_appears():
    event("message.received", 10, message_id=1)
    relay = Relay()
    relay.read()
    event("message.sent", 13, message_id=3)  # 11 and 12 are still being committed elsewhere
    assert relay.read() == [("message.sent", 3, {})]
    assert set(relay.holes) == {11, 12}
    event("message.received", 11, message_id=2)
    assert relay.read() == [("message.received", 2, {})]
    assert set(relay.holes) == {12}
    event("triage.labelled", 12)
    assert relay.read() == []
    assert relay.holes == {}


def test_a_hole_is_given_up_after_a_few_seconds(monkeypatch):
    event("message.received", 10, message_id=1)
    relay = Relay()
    relay.read()
    event("message.received", 12, message_id=3)
    relay.read()
    assert 11 in relay.holes
    monkeypatch.setattr("townsquare.realtime.relay.HOLE_SECONDS", -1)
    relay.read()
    assert relay.holes == {}
