"""Staff needed per hour of the week (Erlang C by the textbook formula, here) against the staff on
shift, on a two-week fixture across the clocks going forward in London."""

import json
import math
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from scipy import stats

from tests.insights.timing_fixtures import conversation, shift
from townsquare.insights.filters import build_filters
from townsquare.insights.report import build_report

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def utc(month, day, hour, minute=0):
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def needed_by_hand(arrivals_per_hour, handle, share, target):
    """The fewest agents n with 1 − C(n, A)·e^(−(n−A)·t/AHT) ≥ share, C from factorials."""
    a = Fraction(arrivals_per_hour) * Fraction(handle) / 3600
    if a == 0:
        return 0
    n = 1
    while True:
        if n > a:
            top = a**n / math.factorial(n) * n / (n - a)
            waits = float(top / (sum(a**k / math.factorial(k) for k in range(n)) + top))
            if 1 - waits * math.exp(-(n - float(a)) * target / handle) >= share:
                return n
        n += 1


def on_shift_by_hand(shifts, since, until):
    """Mean number of shifts overlapping each local (weekday, hour) over the range."""
    totals, hours = {}, {}
    moment = since
    while moment < until:
        local = moment.astimezone(LONDON)
        key = (local.weekday(), local.hour)
        overlapping = sum(1 for start, end in shifts if start < moment + timedelta(hours=1) and end > moment)
        totals[key] = totals.get(key, 0) + overlapping
        hours[key] = hours.get(key, 0) + 1
        moment += timedelta(hours=1)
    return {key: totals[key] / hours[key] for key in hours}, hours


def test_staff_needed_against_staff_on_shift(settings, alice, bruno):
    settings.STAFFING_HANDLE_SECONDS = 600
    settings.STAFFING_TARGET_SECONDS = 180
    settings.STAFFING_TARGET_SHARE = 0.8
    for written in [utc(3, 23, 9, 15)] * 4 + [utc(3, 30, 8, 15)] * 2:  # Monday 09:15, GMT then BST
        conversation(written, 60)
    for minute in range(10):  # Tuesday 10:0x BST
        conversation(utc(3, 31, 9, minute), 30)
    shifts = [
        (utc(3, 31, 8, 50), utc(3, 31, 11, 0)),  # alice: Tuesday 09:50–12:00 BST
        (utc(3, 24, 10, 0), utc(3, 24, 11, 0)),  # bruno: Tuesday 10:00–11:00 GMT
    ]
    shift(alice, *shifts[0])
    shift(bruno, *shifts[1])
    filters = build_filters(since="2026-03-23", until="2026-04-05", time_zone="Europe/London")
    timing = build_report(filters, sections=["timing"]).as_json()["timing"]

    since = datetime(2026, 3, 23, tzinfo=LONDON).astimezone(UTC)
    until = datetime(2026, 4, 6, tzinfo=LONDON).astimezone(UTC)
    on_shift, hours = on_shift_by_hand(shifts, since, until)
    arrivals = {(0, 9): 6, (1, 10): 10}
    [table] = timing["tables"]
    rows = {row["label"]: row for row in table["rows"]}
    assert set(rows) == {"Mon 09:00", "Tue 09:00", "Tue 10:00", "Tue 11:00"}
    for label, key in (
        ("Mon 09:00", (0, 9)),
        ("Tue 09:00", (1, 9)),
        ("Tue 10:00", (1, 10)),
        ("Tue 11:00", (1, 11)),
    ):
        rate = arrivals.get(key, 0) / hours[key]
        needed = needed_by_hand(rate, 600, 0.8, 180)
        row = rows[label]
        assert row["arrivals_per_hour"]["value"] == pytest.approx(rate)
        assert row["needed"]["value"] == needed
        assert row["on_shift"] == pytest.approx(on_shift[key])
        assert row["gap"] == pytest.approx(on_shift[key] - needed)
    # Five a week at 600 s each is 0.83 erlangs: one agent answers 21% in 3 minutes, two 83%.
    assert rows["Tue 10:00"]["needed"]["value"] == 2 and rows["Tue 10:00"]["on_shift"] == 1.0
    assert rows["Mon 09:00"]["needed"]["value"] == 2 and rows["Mon 09:00"]["on_shift"] == 0.0
    assert rows["Tue 09:00"]["on_shift"] == 0.5 and rows["Tue 09:00"]["needed"]["value"] == 0
    assert timing["figures"]["handle_seconds"] == 600
    assert timing["figures"]["shortfall_hours"] == 2
    assert any(
        "short of staff in 2 hours" in note and "Tue 10:00 needs 2" in note for note in timing["notes"]
    )
    assert any("TOWNSQUARE_HANDLE_SECONDS" in text for text in timing["assumptions"])
    json.dumps(timing, allow_nan=False)  # plain JSON all the way down


def test_handle_time_measured_in_hours_when_someone_waited_all_hour(settings, alice):
    settings.STAFFING_HANDLE_SECONDS = 0
    shift(alice, utc(4, 1, 13), utc(4, 1, 15))  # online 13:00–15:00 UTC
    conversation(utc(4, 1, 12, 50), (2 * 60 + 20) * 60)  # waited from 12:50 to 15:10: hours 13 and 14
    for i in range(12):  # answered at 13:05, 13:15, … 14:55, inside the busy hours
        conversation(utc(4, 1, 12, 55), (10 + 10 * i) * 60)
    conversation(utc(4, 1, 15, 20), 30 * 60)  # answered at 15:50: nobody waited all that hour
    filters = build_filters(since="2026-04-01", until="2026-04-01", time_zone="Europe/London")
    timing = build_report(filters, sections=["timing"]).as_json()["timing"]
    handle = timing["figures"]["handle_seconds"]
    # 7,200 staff-seconds online in the two busy hours over 12 first responses sent in them.
    assert handle["value"] == pytest.approx(600.0)
    assert handle["n"] == 12
    low, high = stats.chi2.ppf(0.025, 24) / 2, stats.chi2.ppf(0.975, 26) / 2
    assert handle["ci95"] == [pytest.approx(7200 / high, abs=1e-4), pytest.approx(7200 / low, abs=1e-4)]
    assert any(text.startswith("handle time per conversation: measured") for text in timing["assumptions"])


def test_without_shifts_or_measurements_the_fallback_is_stated(settings):
    settings.STAFFING_HANDLE_SECONDS = 0
    for minute in range(3):
        conversation(utc(4, 1, 9, minute), 60)
    timing = build_report(build_filters(time_zone="UTC"), sections=["timing"]).as_json()["timing"]
    assert timing["figures"]["handle_seconds"] == 300
    assert any("assumed 300 s" in text for text in timing["assumptions"])
    assert any("nobody was on shift" in note for note in timing["notes"])


def test_a_bad_target_is_a_note_not_an_error(settings):
    settings.STAFFING_TARGET_SHARE = 1.5
    conversation(utc(4, 1, 9), 60)
    timing = build_report(build_filters(time_zone="UTC"), sections=["timing"]).as_json()["timing"]
    assert any("TOWNSQUARE_STAFFING_TARGET_SHARE" in note for note in timing["notes"])
    assert timing["tables"][0]["rows"] == []


def test_an_absurd_handle_time_is_a_note_not_an_error(settings):
    settings.STAFFING_HANDLE_SECONDS = 10**12
    conversation(utc(4, 1, 9), 60)
    timing = build_report(build_filters(time_zone="UTC"), sections=["timing"]).as_json()["timing"]
    assert any("staffing not computed: more than" in note for note in timing["notes"])
