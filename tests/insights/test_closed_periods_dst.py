"""A period is local time: March in London is 31 days but 743 hours (the last Sunday has 23)."""

from datetime import UTC, datetime, timedelta

import pytest

from townsquare.events.log import record
from townsquare.insights.models import ConversationFact
from townsquare.insights.periods import PeriodConflict, PeriodError, close_period, period_range
from townsquare.insights.projection import refresh

pytestmark = pytest.mark.django_db

LONDON = "Europe/London"
# (UTC instant, in local March?) around both ends of the month and the clock change on 29 March.
STARTS = {
    1: (datetime(2026, 2, 28, 23, 59, tzinfo=UTC), False),  # 23:59 GMT on 28 February
    2: (datetime(2026, 3, 1, 0, 0, tzinfo=UTC), True),  # 00:00 GMT on 1 March
    3: (datetime(2026, 3, 29, 0, 30, tzinfo=UTC), True),  # 00:30 GMT, before the change
    4: (datetime(2026, 3, 29, 1, 30, tzinfo=UTC), True),  # 02:30 BST, after it
    5: (datetime(2026, 3, 31, 22, 59, tzinfo=UTC), True),  # 23:59 BST on 31 March
    6: (datetime(2026, 3, 31, 23, 0, tzinfo=UTC), False),  # 00:00 BST on 1 April
}


def test_london_march_is_743_hours_and_a_23_hour_sunday():
    march = period_range("2026-03", "month", LONDON)
    assert march.start == datetime(2026, 3, 1, 0, 0, tzinfo=UTC)
    assert march.end == datetime(2026, 3, 31, 23, 0, tzinfo=UTC)
    assert march.end - march.start == timedelta(hours=31 * 24 - 1)
    sunday = period_range("2026-03-29", "day", LONDON)
    assert sunday.end - sunday.start == timedelta(hours=23)
    # Any day names its week, which starts on Monday 23 March (GMT) and ends on the 30th (BST).
    week = period_range("2026-03-26", "week", LONDON)
    assert (week.label, week.start, week.end - week.start) == (
        "2026-03-23",
        datetime(2026, 3, 23, 0, 0, tzinfo=UTC),
        timedelta(hours=7 * 24 - 1),
    )


def test_closing_london_march_freezes_exactly_the_conversations_started_in_local_march(grace):
    for cid, (when, _) in STARTS.items():
        record(
            "message.received",
            conversation_id=cid,
            message_id=cid,
            data={"direction": "in"},
            occurred_at=when,
        )
    refresh()
    period = close_period(grace, "2026-03", time_zone=LONDON)
    assert (period.kind, period.time_zone) == ("month", LONDON)
    frozen = set(ConversationFact.objects.filter(frozen=True).values_list("conversation_id", flat=True))
    assert frozen == {cid for cid, (_, in_march) in STARTS.items() if in_march}
    # A day inside it (in UTC too) overlaps: refused; so is March again.
    with pytest.raises(PeriodConflict, match="overlaps the closed month 2026-03"):
        close_period(grace, "2026-03-31", kind="day", time_zone="UTC")
    with pytest.raises(PeriodConflict):
        close_period(grace, "2026-03", time_zone=LONDON)
    # The same February and April in London are still open.
    close_period(grace, "2026-04", time_zone=LONDON)
    assert ConversationFact.objects.get(pk=6).frozen


@pytest.mark.parametrize(
    ("label", "kind", "zone", "message"),
    [
        ("2026-13", "month", "UTC", "not a month"),
        ("March", "month", "UTC", "a month is written like 2026-03"),
        ("2026-03", "month", "Mars/Olympus", "unknown time zone"),
        ("2026-03", "quarter", "UTC", "kind must be one of day, week, month"),
        ("2026-02-30", "day", "UTC", "not a day"),
        ("2999-01", "month", "UTC", "has not ended yet"),
    ],
)
def test_bad_periods_are_refused_with_a_reason(grace, label, kind, zone, message):
    with pytest.raises(PeriodError, match=message):
        close_period(grace, label, kind=kind, time_zone=zone)
