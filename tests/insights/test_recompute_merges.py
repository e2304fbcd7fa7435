"""Recomputing follows merges (a late parent message moves into the closed thread), and a full
rebuild gives closed periods the whole log's figures, then freezes them again."""

from datetime import UTC, datetime

import pytest

from townsquare.events.log import record
from townsquare.insights.filters import Filters
from townsquare.insights.models import ClosedPeriod, ConversationFact, MessageFact
from townsquare.insights.periods import close_period, recompute_period
from townsquare.insights.projection import rebuild, refresh
from townsquare.insights.report import build_report

pytestmark = pytest.mark.django_db
MARCH = Filters(
    since=datetime(2026, 3, 1, tzinfo=UTC), until=datetime(2026, 4, 1, tzinfo=UTC), time_zone="UTC"
)


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, 2, hour, minute, tzinfo=UTC)


def first_response() -> dict:
    return build_report(MARCH, sections=[]).as_json()["first_response_seconds"]


def closed_thread_then_its_parent_arrives(grace) -> ClosedPeriod:
    """Conversation 1: customer at 10:00, brand at 10:30 (1800 s). After March closes, the
    customer's earlier message (09:00) is imported as conversation 2 and merged into 1."""
    record("message.received", conversation_id=1, message_id=10, data={"direction": "in"}, occurred_at=at(10))
    record("message.sent", conversation_id=1, message_id=11, occurred_at=at(10, 30))
    refresh()
    period = close_period(grace, "2026-03", time_zone="UTC")
    record(
        "message.received",
        conversation_id=2,
        message_id=20,
        data={"direction": "in", "written_at": at(9).isoformat()},
    )
    record("conversation.merged", conversation_id=1, data={"from": 2, "into": 1, "reason": "parent arrived"})
    refresh()
    return period


def test_recompute_moves_the_merged_messages_into_the_closed_thread(grace):
    period = closed_thread_then_its_parent_arrives(grace)
    assert first_response()["value"] == 1800 and first_response()["n"] == 1
    assert ConversationFact.objects.get(pk=2).merged_into == 1

    result = recompute_period(grace, period, "parent message imported")
    assert result["conversations"] == 2  # the thread and the merged-away one (left out as merged)
    # By hand: the thread starts at 09:00 now; the brand answered at 10:30: 5400 s.
    assert first_response()["value"] == 5400 and first_response()["n"] == 1
    assert set(MessageFact.objects.filter(conversation_id=1).values_list("message_id", flat=True)) == {
        10,
        11,
        20,
    }
    assert ConversationFact.objects.get(pk=1).frozen


def test_rebuild_refolds_closed_periods_and_freezes_them_again(grace):
    closed_thread_then_its_parent_arrives(grace)
    rebuild()
    assert first_response()["value"] == 5400
    fact = ConversationFact.objects.get(pk=1)
    assert fact.frozen and not fact.held
    record("csat.answered", conversation_id=1, data={"score": 2})
    refresh()
    assert ConversationFact.objects.get(pk=1).csat_score is None


def test_a_thread_merged_across_two_closed_months_stays_in_its_own_month(grace):
    """Conversation 1 started on 28 February; its follow-up, conversation 2 (2 March), was merged into
    it. Recomputing March folds both again; February keeps conversation 1, frozen, not held."""
    feb = datetime(2026, 2, 28, 23, tzinfo=UTC)
    record("message.received", conversation_id=1, message_id=10, data={"direction": "in"}, occurred_at=feb)
    record("message.received", conversation_id=2, message_id=20, data={"direction": "in"}, occurred_at=at(0))
    record("message.sent", conversation_id=2, message_id=21, occurred_at=at(1))
    record("conversation.merged", conversation_id=1, data={"from": 2, "into": 1})
    refresh()
    close_period(grace, "2026-02", time_zone="UTC")
    march = close_period(grace, "2026-03", time_zone="UTC")
    february = Filters(since=datetime(2026, 2, 1, tzinfo=UTC), until=MARCH.since, time_zone="UTC")
    before = build_report(february, sections=[]).as_json()["first_response_seconds"]
    # By hand: 23:00 on 28 February to the brand's reply at 01:00 on 2 March: 26 h.
    assert (before["value"], before["n"]) == (26 * 3600, 1)
    recompute_period(grace, march, "check")
    fact = ConversationFact.objects.get(pk=1)
    assert fact.frozen and not fact.held
    assert build_report(february, sections=[]).as_json()["first_response_seconds"] == before
