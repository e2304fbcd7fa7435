"""Business-hours figures count only the open hours of the insights calendar (Mon–Fri 9–17 London)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.insights.care_story import care, converse
from townsquare.sla.models import BusinessCalendar

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
HOUR = 3600.0


@pytest.fixture
def office(settings):
    weekday = [["09:00", "17:00"]]
    BusinessCalendar.objects.create(
        name="Office",
        time_zone="Europe/London",
        hours={day: weekday for day in ("mon", "tue", "wed", "thu", "fri")},
    )
    settings.TOWNSQUARE_INSIGHTS_CALENDAR = "Office"


def at(day, hour, minute=0):
    return datetime(2026, 11, day, hour, minute, tzinfo=LONDON)


def test_a_weekend_wait_counts_only_the_open_hours(hook, office):
    # Friday 16:00 -> Monday 10:00: 66 h on the clock, 1 h Friday + 1 h Monday of business time.
    converse(hook, at(20, 16), reply_after=66 * HOUR)
    # Monday 08:00 (before opening) -> 09:30: 1.5 h on the clock, 0.5 h open.
    converse(hook, at(23, 8), reply_after=1.5 * HOUR)
    # Tuesday 11:00 -> 11:20: open all along.
    converse(hook, at(24, 11), reply_after=20 * 60)
    figures = care()["figures"]
    wall = sorted([66 * HOUR, 1.5 * HOUR, 20 * 60.0])
    business = sorted([2 * HOUR, 0.5 * HOUR, 20 * 60.0])
    assert figures["first_response_median"]["value"] == pytest.approx(wall[1])
    assert figures["first_response_business_median"]["value"] == pytest.approx(business[1])
    assert figures["first_response_business_median"]["n"] == 3


def test_business_time_to_resolution_skips_the_night(hook, office):
    # Monday 16:30 -> Tuesday 09:45: 17.25 h on the clock, 0.5 h + 0.75 h open.
    converse(hook, at(23, 16, 30), reply_after=60, resolve_after=17.25 * HOUR)
    figures = care()["figures"]
    assert figures["resolution_median"]["value"] == pytest.approx(17.25 * HOUR)
    assert figures["resolution_business_median"]["value"] == pytest.approx(1.25 * HOUR)
    assert figures["resolution_business_p90"]["value"] == pytest.approx(1.25 * HOUR)
