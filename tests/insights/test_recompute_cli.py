"""The CLI closes and recomputes periods on purpose; the periodic job closes months that are due."""

import io
import json
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command

from townsquare.cli import command_name
from townsquare.events.log import record
from townsquare.events.models import Event
from townsquare.insights.models import ClosedPeriod, ConversationFact
from townsquare.insights.periods import close_due_periods
from townsquare.insights.projection import refresh
from townsquare.ops.periodic import JOBS, close_insights_periods

pytestmark = pytest.mark.django_db


def conversation(cid: int, when: datetime, reply_after: float | None = None) -> None:
    record(
        "message.received",
        conversation_id=cid,
        message_id=cid * 10,
        data={"direction": "in"},
        occurred_at=when,
    )
    if reply_after is not None:
        later = datetime.fromtimestamp(when.timestamp() + reply_after, UTC)
        record("message.sent", conversation_id=cid, message_id=cid * 10 + 1, occurred_at=later)


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_cli_closes_a_range_and_recomputes_with_a_reason():
    conversation(1, datetime(2026, 1, 15, 12, tzinfo=UTC), reply_after=60)
    conversation(2, datetime(2026, 2, 15, 12, tzinfo=UTC))
    refresh()
    closed = json.loads(
        run(
            "insights_close_periods",
            "--since",
            "2026-01",
            "--until",
            "2026-02",
            "--time-zone",
            "UTC",
            "--json",
        )
    )
    assert [(row["label"], row["conversations"]) for row in closed["closed"]] == [
        ("2026-01", 1),
        ("2026-02", 1),
    ]
    again = json.loads(run("insights_close_periods", "--since", "2026-01", "--time-zone", "UTC", "--json"))
    assert again == {"closed": [], "skipped": ["2026-01"]}

    # The customer writes again in January's thread (an old-dated message): late, not counted.
    record(
        "message.received",
        conversation_id=1,
        message_id=12,
        data={"direction": "in", "written_at": "2026-01-15T11:00:00+00:00"},
    )
    refresh()
    assert ConversationFact.objects.get(pk=1).first_response_seconds == 60
    listed = json.loads(run("insights_close_periods", "--list", "--json"))["periods"]
    assert [(row["label"], row["late_events"]) for row in listed] == [("2026-02", 0), ("2026-01", 1)]

    done = json.loads(
        run("insights_recompute", "2026-01", "--time-zone", "UTC", "--reason", "late message", "--json")
    )
    assert done["late_events_before"] == 1 and done["conversations"] == 1
    # By hand: the thread now starts at 11:00, answered at 12:01: 3660 s.
    assert ConversationFact.objects.get(pk=1).first_response_seconds == 3660
    event = Event.objects.get(kind="insights.period_recomputed")
    assert event.actor_id is None and event.data["reason"] == "late message"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("insights_close_periods", "--since", "2026-03", "--until", "2026-01"), "is before since"),
        (("insights_close_periods", "--until", "2026-01"), "--until needs --since"),
        (("insights_close_periods", "--since", "2026-3-1"), "a month is written like 2026-03"),
        (("insights_close_periods", "--since", "2026-01", "--kind", "year"), "kind must be one of"),
        (("insights_recompute", "2025-07", "--reason", "x"), "no closed period '2025-07'"),
        (("insights_recompute", "99", "--reason", "x"), "no closed period '99'"),
        (("insights_recompute", "July", "--reason", "x"), "a month is written like"),
    ],
)
def test_cli_refuses_bad_input(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_recompute_needs_a_reason():
    conversation(1, datetime(2026, 1, 15, 12, tzinfo=UTC))
    run("insights_close_periods", "--since", "2026-01", "--time-zone", "UTC")
    with pytest.raises(CommandError, match="reason"):
        run("insights_recompute", str(ClosedPeriod.objects.get().pk), "--reason", "  ")
    with pytest.raises(CommandError):
        run("insights_recompute", str(ClosedPeriod.objects.get().pk))


def test_due_months_close_after_the_configured_days(settings):
    settings.TOWNSQUARE_INSIGHTS_TIME_ZONE = "Europe/London"
    settings.TOWNSQUARE_INSIGHTS_CLOSE_AFTER_DAYS = 7
    for cid, day in ((1, datetime(2026, 1, 10, tzinfo=UTC)), (2, datetime(2026, 3, 31, 22, 30, tzinfo=UTC))):
        conversation(cid, day)
    # Midnight of 8 April in London: March ended exactly 7 days ago, not more. January closes;
    # February has no conversations.
    assert [p.start for p in close_due_periods(now=datetime(2026, 4, 7, 23, 0, tzinfo=UTC))] == [
        datetime(2026, 1, 1, tzinfo=UTC)
    ]
    closed = close_due_periods(now=datetime(2026, 4, 7, 23, 1, tzinfo=UTC))
    assert [(p.start, p.end, p.time_zone) for p in closed] == [
        (datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 31, 23, tzinfo=UTC), "Europe/London")
    ]
    assert ConversationFact.objects.get(pk=2).frozen
    assert Event.objects.filter(kind="insights.period_closed").count() == 2


def test_zero_days_closes_nothing_and_the_job_is_registered(settings):
    settings.TOWNSQUARE_INSIGHTS_CLOSE_AFTER_DAYS = 0
    conversation(1, datetime(2026, 1, 10, tzinfo=UTC))
    assert close_due_periods() == []
    assert close_insights_periods in JOBS
    settings.TOWNSQUARE_INSIGHTS_CLOSE_AFTER_DAYS = 7
    assert close_insights_periods(force=True)
    assert ClosedPeriod.objects.count() == 1


def test_the_cli_spells_them_with_dashes():
    assert command_name("insights-close-periods") == "insights_close_periods"
    assert command_name("insights-recompute") == "insights_recompute"
