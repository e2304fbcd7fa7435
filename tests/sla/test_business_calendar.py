"""Business-time arithmetic: opening hours, nights, weekends, holidays and DST changes (no database)."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from townsquare.sla.calendar import add_business_minutes, business_seconds_between, make_calendar

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
WEEKDAYS_9_TO_5 = {day: [["09:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}
berlin_office = make_calendar(
    "Europe/Berlin", WEEKDAYS_9_TO_5, holidays=[date(2026, 12, 24), date(2026, 12, 25)]
)
new_york_office = make_calendar("America/New_York", WEEKDAYS_9_TO_5)


def berlin(*args) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


def test_minutes_inside_one_business_day():
    assert add_business_minutes(berlin(2026, 11, 23, 9, 0), 60, berlin_office) == berlin(2026, 11, 23, 10, 0)


def test_the_result_is_in_utc():
    due = add_business_minutes(berlin(2026, 11, 23, 9, 0), 60, berlin_office)
    assert due.tzinfo is UTC
    assert due == datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_the_night_is_skipped():
    # Monday 16:30 + 1 h: 30 min on Monday, 30 min on Tuesday morning.
    assert add_business_minutes(berlin(2026, 11, 23, 16, 30), 60, berlin_office) == berlin(
        2026, 11, 24, 9, 30
    )


def test_a_deadline_at_closing_time_stays_at_closing_time():
    assert add_business_minutes(berlin(2026, 11, 23, 16, 0), 60, berlin_office) == berlin(2026, 11, 23, 17, 0)


def test_the_weekend_is_skipped():
    assert add_business_minutes(berlin(2026, 11, 27, 16, 0), 120, berlin_office) == berlin(
        2026, 11, 30, 10, 0
    )


def test_a_clock_started_on_saturday_starts_counting_on_monday():
    assert add_business_minutes(berlin(2026, 11, 28, 12, 0), 30, berlin_office) == berlin(2026, 11, 30, 9, 30)


def test_holidays_are_closed_all_day():
    # Wednesday 23 Dec 16:00 + 2 h: one hour on Wednesday, Christmas Eve and Day closed, the weekend too.
    assert add_business_minutes(berlin(2026, 12, 23, 16, 0), 120, berlin_office) == berlin(
        2026, 12, 28, 10, 0
    )


def test_split_shifts_skip_the_lunch_break():
    shifts = make_calendar("Europe/Berlin", {"mon": [["13:00", "18:00"], ["08:00", "12:00"]]})
    assert add_business_minutes(berlin(2026, 11, 23, 11, 30), 60, shifts) == berlin(2026, 11, 23, 13, 30)


def test_berlin_spring_forward_weekend():
    # Clocks go from 02:00 to 03:00 on Sunday 29 March 2026: Friday is CET, Monday CEST.
    due = add_business_minutes(berlin(2026, 3, 27, 16, 0), 120, berlin_office)
    assert due == berlin(2026, 3, 30, 10, 0)
    assert due == datetime(2026, 3, 30, 8, 0, tzinfo=UTC)


def test_berlin_spring_forward_day_has_23_hours():
    always = make_calendar("Europe/Berlin", {"sun": [["00:00", "24:00"]]})
    seconds = business_seconds_between(berlin(2026, 3, 29, 0, 0), berlin(2026, 3, 30, 0, 0), always)
    assert seconds == 23 * 3600


def test_berlin_fall_back_day_has_25_hours():
    always = make_calendar("Europe/Berlin", {"sun": [["00:00", "24:00"]]})
    seconds = business_seconds_between(berlin(2026, 10, 25, 0, 0), berlin(2026, 10, 26, 0, 0), always)
    assert seconds == 25 * 3600


def test_fall_back_lengthens_an_interval_across_the_repeated_hour():
    night_shift = make_calendar("Europe/Berlin", {"sun": [["01:00", "04:00"]]})
    start = berlin(2026, 10, 25, 0, 0)
    assert business_seconds_between(start, start + timedelta(days=1), night_shift) == 4 * 3600
    assert add_business_minutes(start, 4 * 60, night_shift) == datetime(2026, 10, 25, 3, 0, tzinfo=UTC)


def test_spring_forward_moves_an_interval_inside_the_skipped_hour_past_the_gap():
    # 02:15-02:45 does not exist on 29 March in Berlin; it is read as 03:15-03:45 summer time.
    gap = make_calendar("Europe/Berlin", {"sun": [["02:15", "02:45"]], "mon": [["09:00", "10:00"]]})
    assert add_business_minutes(berlin(2026, 3, 29, 0, 0), 30, gap) == berlin(2026, 3, 29, 3, 45)
    assert add_business_minutes(berlin(2026, 3, 29, 0, 0), 40, gap) == berlin(2026, 3, 30, 9, 10)


def test_new_york_spring_forward_weekend():
    # DST starts Sunday 8 March 2026 in New York.
    due = add_business_minutes(datetime(2026, 3, 6, 16, 0, tzinfo=NEW_YORK), 120, new_york_office)
    assert due == datetime(2026, 3, 9, 14, 0, tzinfo=UTC)  # 10:00 EDT


def test_new_york_fall_back_weekend():
    # DST ends Sunday 1 November 2026 in New York.
    due = add_business_minutes(datetime(2026, 10, 30, 16, 30, tzinfo=NEW_YORK), 60, new_york_office)
    assert due == datetime(2026, 11, 2, 14, 30, tzinfo=UTC)  # 09:30 EST


def test_business_seconds_between_skips_closed_time():
    assert (
        business_seconds_between(berlin(2026, 11, 27, 16, 0), berlin(2026, 11, 30, 10, 0), berlin_office)
        == 7200
    )


def test_business_seconds_between_is_negative_backwards():
    assert (
        business_seconds_between(berlin(2026, 11, 30, 10, 0), berlin(2026, 11, 27, 16, 0), berlin_office)
        == -7200
    )


def test_no_calendar_counts_around_the_clock():
    start = datetime(2026, 11, 28, 23, 0, tzinfo=UTC)
    assert add_business_minutes(start, 90, None) == start + timedelta(minutes=90)
    assert business_seconds_between(start, start + timedelta(hours=5), None) == 5 * 3600


def test_empty_hours_are_always_open_except_holidays():
    always = make_calendar("Europe/Berlin", {}, holidays=[date(2026, 12, 25)])
    due = add_business_minutes(berlin(2026, 12, 24, 23, 0), 120, always)
    assert due == berlin(2026, 12, 26, 1, 0)


def test_a_long_deadline_is_fast():
    import time

    started = time.perf_counter()
    for _ in range(100):
        add_business_minutes(berlin(2026, 1, 5, 9, 0), 60 * 8 * 250, berlin_office)  # a working year
    assert time.perf_counter() - started < 2.0


@pytest.mark.parametrize(
    ("zone", "hours", "message"),
    [
        ("Mars/Olympus_Mons", {}, "unknown time zone"),
        ("", {}, "IANA time zone"),
        ("Europe/Berlin", {"mon": [["17:00", "09:00"]]}, "ends before it starts"),
        ("Europe/Berlin", {"mon": [["09:00", "09:00"]]}, "ends before it starts"),
        ("Europe/Berlin", {"mon": [["09:00", "12:00"], ["11:00", "13:00"]]}, "overlap"),
        ("Europe/Berlin", {"mon": [["09:00", "25:00"]]}, "between 00:00 and 24:00"),
        ("Europe/Berlin", {"mon": [["9am", "5pm"]]}, "HH:MM"),
        ("Europe/Berlin", {"mon": [["09:00"]]}, "is not a .start, end. pair"),
        ("Europe/Berlin", {"monday": [["09:00", "17:00"]]}, "unknown weekday"),
        ("Europe/Berlin", {"mon": "09:00-17:00"}, "list of .start, end. pairs"),
        ("Europe/Berlin", {"mon": []}, "no interval"),
        ("Europe/Berlin", [["09:00", "17:00"]], "opening hours are an object"),
    ],
)
def test_bad_calendars_are_refused_with_a_reason(zone, hours, message):
    with pytest.raises(ValueError, match=message):
        make_calendar(zone, hours)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="aware"):
        add_business_minutes(datetime(2026, 11, 23, 9, 0), 10, berlin_office)


def test_a_calendar_whose_every_open_day_is_a_holiday_says_so():
    mondays = [date(2026, 11, 23) + timedelta(weeks=n) for n in range(200)]
    only_mondays = make_calendar("UTC", {"mon": [["09:00", "10:00"]]}, holidays=mondays)
    with pytest.raises(ValueError, match="no opening hours"):
        add_business_minutes(datetime(2026, 11, 23, tzinfo=UTC), 10, only_mondays)


CALENDARS = [
    berlin_office,
    new_york_office,
    make_calendar(
        "America/New_York",
        {
            "mon": [["08:00", "12:00"], ["13:00", "18:00"]],
            "wed": [["00:00", "24:00"]],
            "sat": [["10:00", "14:00"]],
        },
        holidays=[date(2026, 7, 4), date(2026, 11, 26)],
    ),
    make_calendar("Australia/Sydney", {"tue": [["01:30", "03:30"]], "sun": [["02:00", "03:00"]]}),
    make_calendar("Europe/Berlin", {"sun": [["01:00", "04:00"]], "thu": [["22:00", "24:00"]]}),
    make_calendar("Asia/Tokyo", {}, holidays=[date(2026, 1, 1)]),
]


@settings(max_examples=300, deadline=None)
@given(
    start=st.datetimes(
        min_value=datetime(2025, 12, 1), max_value=datetime(2027, 1, 31), timezones=st.just(UTC)
    ),
    minutes=st.integers(min_value=0, max_value=30_000),
    calendar=st.sampled_from(CALENDARS),
)
def test_adding_business_time_round_trips(start, minutes, calendar):
    due = add_business_minutes(start, minutes, calendar)
    assert due >= start
    assert business_seconds_between(start, due, calendar) == minutes * 60
    # Nothing is added past the deadline: one second earlier is not yet enough.
    if minutes:
        assert business_seconds_between(start, due - timedelta(seconds=1), calendar) < minutes * 60
