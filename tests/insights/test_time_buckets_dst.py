"""Hours, weekdays and periods in the report's time zone, across daylight saving changes."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import numpy as np

from townsquare.insights.timebuckets import hour_and_weekday, period_bounds, period_labels

LONDON = ZoneInfo("Europe/London")
ST_JOHNS = ZoneInfo("America/St_Johns")  # changes at 02:00 local = 04:31 or 05:31 UTC: not on the hour


def epochs(*moments):
    return np.array([m.timestamp() for m in moments])


def by_hand(moments, zone):
    return [m.astimezone(zone).hour for m in moments], [m.astimezone(zone).weekday() for m in moments]


def test_hours_follow_the_clocks_going_forward_and_back():
    moments = [
        datetime(2026, 3, 29, 0, 30, tzinfo=UTC),  # 00:30 GMT
        datetime(2026, 3, 29, 1, 30, tzinfo=UTC),  # 02:30 BST: the clocks went forward at 01:00 UTC
        datetime(2026, 10, 25, 0, 30, tzinfo=UTC),  # 01:30 BST
        datetime(2026, 10, 25, 1, 30, tzinfo=UTC),  # 01:30 GMT again
        datetime(2026, 7, 5, 23, 30, tzinfo=UTC),  # Monday 00:30 BST, Sunday in UTC
    ]
    hours, weekdays = hour_and_weekday(epochs(*moments), LONDON)
    expected_hours, expected_weekdays = by_hand(moments, LONDON)
    assert hours.tolist() == expected_hours
    assert weekdays.tolist() == expected_weekdays


def test_a_change_in_the_middle_of_a_utc_hour_is_exact():
    base = datetime(2026, 3, 8, 5, 0, tzinfo=UTC)  # St John's springs forward at 05:30 UTC
    moments = [base.replace(minute=m) for m in (0, 29, 31, 59)]
    hours, _ = hour_and_weekday(epochs(*moments), ST_JOHNS)
    assert hours.tolist() == by_hand(moments, ST_JOHNS)[0]


def test_periods_are_local_days_weeks_and_months():
    late_sunday = datetime(2026, 3, 29, 23, 30, tzinfo=UTC)  # Monday 00:30 BST
    labels = period_labels(epochs(late_sunday), LONDON, "day")
    assert labels.tolist() == ["2026-03-30"]
    assert period_labels(epochs(late_sunday), LONDON, "week").tolist() == ["2026-03-30"]
    assert period_labels(epochs(datetime(2026, 3, 31, 23, 30, tzinfo=UTC)), LONDON, "month").tolist() == [
        "2026-04"
    ]
    assert period_labels(np.array([np.nan]), LONDON, "day").tolist() == [""]


def test_the_day_the_clocks_change_is_23_hours_long():
    start, end = period_bounds("2026-03-29", LONDON, "day")
    assert (end.astimezone(UTC) - start.astimezone(UTC)).total_seconds() == 23 * 3600
    start, end = period_bounds("2026-10", LONDON, "month")
    assert (end.astimezone(UTC) - start.astimezone(UTC)).total_seconds() == (31 * 24 + 1) * 3600
