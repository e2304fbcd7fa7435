"""Carol reads volume, first response and time to resolution (median and p90) off the care section."""

import statistics

import numpy as np
import pytest

from tests.insights.care_story import MONDAY, care, converse, seconds

pytestmark = pytest.mark.django_db

REPLIES = [30, 90, 45, 600, 3600, 120, 75, 15, 240, 1800, 60, 7200]
RESOLUTIONS = [900, 1800, 3600, 86400, 4000, 7200, 500, 10000, 20000, 600, 1200]


def tell(hook):
    for i, wait in enumerate(REPLIES):
        resolve = RESOLUTIONS[i] if i < len(RESOLUTIONS) else None
        converse(hook, MONDAY + seconds(i * 60), reply_after=wait, resolve_after=resolve)
    converse(hook, MONDAY)  # never answered, never resolved


def test_volume_counts_every_conversation_with_a_poisson_interval(hook):
    tell(hook)
    volume = care()["figures"]["volume"]
    assert (volume["value"], volume["n"]) == (13, 13)
    low, high = volume["ci95"]
    assert low < 13 < high


def test_first_response_median_and_p90_over_answered_conversations(hook):
    tell(hook)
    figures = care()["figures"]
    median, p90 = figures["first_response_median"], figures["first_response_p90"]
    assert median["n"] == p90["n"] == len(REPLIES)
    assert median["value"] == pytest.approx(statistics.median(REPLIES))
    assert p90["value"] == pytest.approx(float(np.quantile(REPLIES, 0.9)))
    # The order-statistic interval holds sample values around the median.
    ordered = sorted(REPLIES)
    assert median["ci95"][0] in ordered and median["ci95"][1] in ordered
    assert median["ci95"][0] <= median["value"] <= median["ci95"][1]
    assert not median["too_small"]


def test_time_to_resolution_median_and_p90_over_resolved_conversations(hook):
    tell(hook)
    figures = care()["figures"]
    median, p90 = figures["resolution_median"], figures["resolution_p90"]
    assert median["n"] == len(RESOLUTIONS)
    assert median["value"] == pytest.approx(statistics.median(RESOLUTIONS))
    assert p90["value"] == pytest.approx(float(np.quantile(RESOLUTIONS, 0.9)))
    assert median["unit"] == "seconds"
