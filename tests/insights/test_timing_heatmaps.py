"""When customers write and how long they wait: hour × weekday heat maps in local time, across the
clocks going forward (Europe/London, 29 March 2026), counted by hand."""

from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from scipy import stats

from tests.insights.timing_fixtures import conversation
from townsquare.insights import figures
from townsquare.insights.filters import build_filters
from townsquare.insights.frame import FactFrame
from townsquare.insights.hourgrid import hour_grid
from townsquare.insights.report import build_report
from townsquare.insights.timing import medians

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def utc(month, day, hour, minute=0):
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


# (when the customer wrote, seconds until the first answer or None)
WRITTEN = (
    [(utc(3, 29, 0, 30), None)] * 3  # 00:30 GMT, Sunday
    + [(utc(3, 29, 1, 30), None)] * 2  # 02:30 BST: the clocks went forward at 01:00 UTC
    + [(utc(4, 5, 0, 30), None)]  # 01:30 BST, the only Sunday 01:00 hour in the range
    + [(utc(3, 23, 9, 15), w) for w in (60, 120, 180, 240)]  # Monday 09:15 GMT
    + [(utc(3, 30, 8, 15), w) for w in (300, 360)]  # Monday 09:15 BST
    + [(utc(3, 31, 9, minute), 10.0 * (minute + 1)) for minute in range(10)]  # Tuesday 10:0x BST
    + [(utc(3, 22, 23, 30), None), (utc(4, 5, 23, 30), None)]  # just outside the range
)
SINCE, UNTIL = "2026-03-23", "2026-04-05"


def timing_section():
    for written, wait in WRITTEN:
        conversation(written, wait)
    filters = build_filters(since=SINCE, until=UNTIL, time_zone="Europe/London")
    return build_report(filters, sections=["timing"]).as_json()["timing"]


def by_hand():
    """Arrivals and hours per local (weekday, hour) in the range, counted with datetime."""
    start = datetime(2026, 3, 23, tzinfo=LONDON).astimezone(UTC)
    end = datetime(2026, 4, 6, tzinfo=LONDON).astimezone(UTC)
    hours = Counter()
    moment = start
    while moment < end:
        local = moment.astimezone(LONDON)
        hours[(local.weekday(), local.hour)] += 1
        moment += timedelta(hours=1)
    arrivals = Counter()
    for written, _ in WRITTEN:
        if start <= written < end:
            local = written.astimezone(LONDON)
            arrivals[(local.weekday(), local.hour)] += 1
    return arrivals, hours


def test_arrivals_per_week_by_local_hour_across_the_clock_change():
    timing = timing_section()
    arrivals, hours = by_hand()
    assert sum(hours.values()) == 14 * 24 - 1  # the lost hour
    assert hours[(6, 1)] == 1 and hours[(6, 2)] == 2
    assert arrivals == {(6, 0): 3, (6, 2): 2, (6, 1): 1, (0, 9): 6, (1, 10): 10}
    heatmap = next(h for h in timing["heatmaps"] if h["name"] == "arrivals")
    assert heatmap["rows"] == list(DAYS) and heatmap["columns"] == [str(h) for h in range(24)]
    for day in range(7):
        for hour in range(24):
            cell = heatmap["cells"][day][hour]
            count = arrivals.get((day, hour), 0)
            assert cell["n"] == count
            assert cell["value"] == pytest.approx(count / hours[(day, hour)])
    # Monday 09:00 happened twice and had six arrivals: three a week, with the exact Poisson interval.
    monday_nine = heatmap["cells"][0][9]
    low, high = stats.chi2.ppf(0.025, 12) / 2 / 2, stats.chi2.ppf(0.975, 14) / 2 / 2
    assert monday_nine["value"] == 3.0
    assert monday_nine["ci95"] == [pytest.approx(low, abs=1e-6), pytest.approx(high, abs=1e-6)]
    assert monday_nine["too_small"] is True
    assert heatmap["cells"][1][10]["too_small"] is False


def test_median_wait_by_cell_and_by_hour_of_day():
    timing = timing_section()
    waits = next(h for h in timing["heatmaps"] if h["name"] == "first_response_wait")
    monday_nine = waits["cells"][0][9]
    assert monday_nine["value"] == 210.0  # median of 60 … 360
    assert monday_nine["n"] == 6 and monday_nine["too_small"] is True
    tuesday_ten = waits["cells"][1][10]
    assert tuesday_ten["value"] == 55.0  # median of 10 … 100
    # n = 10: the 2nd and 9th smallest bound the median with at least 95% confidence.
    assert tuesday_ten["n"] == 10 and tuesday_ten["ci95"] == [20.0, 90.0]
    assert tuesday_ten["too_small"] is False
    # Unanswered conversations have no wait: Sunday's cells are empty.
    assert waits["cells"][6][0]["n"] == 0 and waits["cells"][6][0]["value"] is None
    [series] = [s for s in timing["series"] if s["name"] == "first_response_by_hour"]
    points = {p["x"]: p["y"] for p in series["points"]}
    assert len(points) == 24
    assert points["10"]["value"] == 55.0 and points["9"]["value"] == 210.0
    assert points["3"]["n"] == 0


@pytest.mark.parametrize("zone_name", ["Europe/London", "America/St_Johns", "Australia/Lord_Howe"])
def test_hour_of_week_of_instants_around_the_clock_changes(zone_name):
    # St John's changes at 02:00 local, half past a UTC hour; Lord Howe by half an hour.
    zone = ZoneInfo(zone_name)
    filters = build_filters(since="2026-01-01", until="2026-12-31", time_zone=zone_name)
    grid = hour_grid(
        FactFrame({"started_at": np.array([])}, filters), filters, now=utc(12, 31, 23).timestamp() * 2
    )
    start = datetime(2026, 1, 1, tzinfo=zone).astimezone(UTC)
    moments = [start + timedelta(minutes=7 * k) for k in range(0, 365 * 24 * 60 // 7, 13)]
    # Every minute for an hour and a half either side of each clock change, found hour by hour.
    hours = [start + timedelta(hours=h) for h in range(365 * 24)]
    changes = [
        b
        for a, b in zip(hours, hours[1:], strict=False)
        if a.astimezone(zone).utcoffset() != b.astimezone(zone).utcoffset()
    ]
    assert len(changes) == 2
    moments += [change + timedelta(minutes=m) for change in changes for m in range(-90, 91)]
    expected = [m.astimezone(zone).weekday() * 24 + m.astimezone(zone).hour for m in moments]
    assert grid.slots_of(np.array([m.timestamp() for m in moments])).tolist() == expected


def test_medians_per_cell_agree_with_the_shared_quantile_figure():
    rng = np.random.default_rng(7)
    keys = rng.integers(-1, 30, 3000)
    values = rng.exponential(600, 3000)
    values[::17] = np.nan
    order = np.argsort(values, kind="stable")
    result = medians(keys[order], values[order], 30)
    for key in range(30):
        expected = figures.quantile(values[(keys == key) & ~np.isnan(values)])
        assert result[key].n == expected.n
        assert result[key].value == pytest.approx(expected.value)
        assert result[key].ci95 == expected.ci95
