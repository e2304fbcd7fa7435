"""Grace closes March: later edits do not move its figures until she recomputes it on purpose."""

import statistics
from datetime import UTC, datetime

import pytest

from townsquare.events.log import record
from townsquare.events.models import Event
from townsquare.insights.filters import Filters
from townsquare.insights.models import ConversationFact
from townsquare.insights.periods import close_period, recompute_period
from townsquare.insights.projection import refresh
from townsquare.insights.report import build_report

pytestmark = pytest.mark.django_db

HEADLINE = ("first_response_seconds", "resolution_seconds", "resolution_rate")
MARCH = Filters(
    since=datetime(2026, 3, 1, tzinfo=UTC), until=datetime(2026, 4, 1, tzinfo=UTC), time_zone="UTC"
)
QUESTIONS = MARCH.with_(kinds=("question",))
ROLLUP = ["en", "question", "neutral", "normal", True, False]


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def message(conversation: int, message_id: int, when: datetime, direction: str) -> None:
    kind = "message.received" if direction == "in" else "message.sent"
    record(
        kind,
        conversation_id=conversation,
        message_id=message_id,
        data={"direction": direction},
        occurred_at=when,
    )


def status(conversation: int, before: str, after: str, when: datetime) -> None:
    record(
        "conversation.status_changed",
        conversation_id=conversation,
        data={"from": before, "to": after},
        occurred_at=when,
    )


def march_fixture() -> None:
    """Three March conversations: first responses 600, 1800 and 7200 s; 1 and 2 resolved after
    3600 and 10800 s; all three questions. One April conversation stays out of March."""
    for cid, (start, reply, resolved) in {
        1: (at(2, 10), at(2, 10, 10), at(2, 11)),
        2: (at(3, 9), at(3, 9, 30), at(3, 12)),
        3: (at(4, 8), at(4, 10), None),
        5: (at(2, 9, month=4), at(2, 9, 5, month=4), None),
    }.items():
        record("conversation.created", conversation_id=cid, occurred_at=start)
        message(cid, cid * 10, start, "in")
        message(cid, cid * 10 + 1, reply, "out")
        if resolved:
            status(cid, "new", "resolved", resolved)
    record("conversation.labelled", data={"conversations": {str(cid): ROLLUP for cid in (1, 2, 3, 5)}})
    refresh()


def figures(filters: Filters) -> dict:
    report = build_report(filters, sections=[]).as_json()
    return {name: report[name] for name in HEADLINE}


def late_changes() -> None:
    # A triage correction turns conversation 3 into a complaint (the roll-up event follows).
    record(
        "triage.corrected", conversation_id=3, message_id=30, data={"field": "kind", "new_value": "complaint"}
    )
    record(
        "conversation.labelled",
        data={"conversations": {"3": ["en", "complaint", "neutral", "normal", True, False]}},
    )
    # Conversation 1 reopens in April and gets a new reply; it is not resolved again.
    status(1, "resolved", "open", at(3, 9, month=4))
    message(1, 12, at(3, 9, 30, month=4), "out")
    # Conversation 2's customer answers the survey.
    record("csat.answered", conversation_id=2, data={"score": 5})
    # An old-dated thread is imported: it started on 10 March, answered after 1200 s.
    record(
        "message.received",
        conversation_id=4,
        message_id=40,
        data={"direction": "in", "written_at": at(10, 12).isoformat()},
    )
    record(
        "message.received",
        conversation_id=4,
        message_id=41,
        data={"direction": "out", "written_at": at(10, 12, 20).isoformat()},
    )


def test_closed_march_keeps_its_figures_until_recomputed(grace):
    march_fixture()
    before, questions_before = figures(MARCH), figures(QUESTIONS)
    assert before["first_response_seconds"]["value"] == 1800 and before["first_response_seconds"]["n"] == 3
    assert before["resolution_seconds"]["value"] == statistics.median([3600, 10800])
    assert before["resolution_rate"]["value"] == pytest.approx(2 / 3)

    period = close_period(grace, "2026-03", kind="month", time_zone="UTC")
    closed = Event.objects.get(kind="insights.period_closed")
    assert closed.actor_id == grace.pk
    assert (
        closed.data["start"] == "2026-03-01T00:00:00+00:00"
        and closed.data["end"] == "2026-04-01T00:00:00+00:00"
    )
    assert closed.data["last_event_id"] == period.last_event_id > 0

    late_changes()
    assert figures(MARCH) == before
    assert figures(QUESTIONS) == questions_before
    assert ConversationFact.objects.get(pk=2).csat_score is None
    assert ConversationFact.objects.get(pk=4).held
    # April is not closed: conversation 5 is unchanged and counted as before.
    listed = build_report(MARCH, sections=[]).as_json()["closed_periods"]
    # Late events: the roll-up (3), the reopen and the reply (1), the survey (2); one held thread.
    assert [(p["late_events"], p["held"]) for p in listed] == [(4, 1)]
    assert listed[0]["note"] == "5 changes after closing; recompute to include them"

    result = recompute_period(grace, period.pk, "triage corrections and an old import")
    assert result["late_events_before"] == 4 and result["held_before"] == 1
    after = figures(MARCH)
    # By hand: responses 600, 1800, 7200, 1200; only conversation 2 is still resolved (10800 s).
    assert after["first_response_seconds"]["value"] == statistics.median([600, 1800, 7200, 1200])
    assert after["first_response_seconds"]["n"] == 4
    assert after["resolution_seconds"]["value"] == 10800 and after["resolution_seconds"]["n"] == 1
    assert after["resolution_rate"]["value"] == pytest.approx(1 / 4)
    # Conversation 3 is a complaint now, conversation 4 was never labelled: questions are 1 and 2.
    assert figures(QUESTIONS)["first_response_seconds"]["value"] == statistics.median([600, 1800])
    assert ConversationFact.objects.get(pk=2).csat_score == 5
    assert ConversationFact.objects.get(pk=1).reopens == 1
    facts = ConversationFact.objects.filter(pk__in=[1, 2, 3, 4])
    assert all(f.frozen and not f.held and f.late_events == 0 for f in facts)
    recomputed = Event.objects.get(kind="insights.period_recomputed")
    assert recomputed.actor_id == grace.pk and recomputed.data["reason"].startswith("triage")
    assert build_report(MARCH, sections=[]).as_json()["closed_periods"][0]["note"] == ""


def test_events_after_recompute_are_late_again(grace):
    march_fixture()
    period = close_period(grace, "2026-03", time_zone="UTC")
    recompute_period(grace, period, "nothing changed")
    assert figures(MARCH)["first_response_seconds"]["value"] == 1800
    record("csat.answered", conversation_id=1, data={"score": 1})
    refresh()
    april = Filters(since=MARCH.until, until=datetime(2026, 5, 1, tzinfo=UTC), time_zone="UTC")
    assert build_report(april, sections=[]).as_json()["closed_periods"] == []
    assert [p["late_events"] for p in build_report(MARCH, sections=[]).as_json()["closed_periods"]] == [1]
    assert ConversationFact.objects.get(pk=1).csat_score is None
    assert ConversationFact.objects.get(pk=1).late_events == 1
