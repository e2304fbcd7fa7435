"""A missing event id can be a PostgreSQL transaction that commits later: the fold reads it again
while it is recent, and forgets holes that can only be rollbacks."""

import time
from datetime import UTC, datetime, timedelta

from townsquare.insights.folding import EventRow
from townsquare.insights.models import Checkpoint
from townsquare.insights.projection import GAP_TIMEOUT_SECONDS, MAX_GAPS, _gaps_after


def event(event_id: int, age_seconds: float = 0) -> EventRow:
    return EventRow(
        event_id,
        "message.received",
        datetime.now(UTC) - timedelta(seconds=age_seconds),
        None,
        None,
        None,
        None,
        {},
    )


def gap_ids(checkpoint, events):
    newest = max([checkpoint.last_event_id, *(e.id for e in events)])
    return [gap_id for gap_id, _ in _gaps_after(checkpoint, events, newest)]


def test_a_recent_hole_is_watched_until_its_event_arrives():
    checkpoint = Checkpoint(name="main", last_event_id=10, gaps=[])
    assert gap_ids(checkpoint, [event(11), event(14)]) == [12, 13]
    checkpoint.gaps = [[12, time.time()], [13, time.time()]]
    checkpoint.last_event_id = 14
    assert gap_ids(checkpoint, [event(12)]) == [13]


def test_holes_below_old_events_and_before_the_first_read_are_history():
    old = GAP_TIMEOUT_SECONDS + 60
    assert gap_ids(Checkpoint(name="main", last_event_id=10, gaps=[]), [event(15, age_seconds=old)]) == []
    assert gap_ids(Checkpoint(name="main", last_event_id=0, gaps=[]), [event(7451), event(7453)]) == [7452]


def test_expired_and_excess_gaps_are_dropped():
    stale = time.time() - GAP_TIMEOUT_SECONDS - 1
    checkpoint = Checkpoint(name="main", last_event_id=5000, gaps=[[4000, stale]])
    assert gap_ids(checkpoint, []) == []
    assert len(gap_ids(Checkpoint(name="main", last_event_id=1, gaps=[]), [event(5000)])) == MAX_GAPS
