"""Grace imports support tweets and reads the median first response time off the report."""

import csv
import io
import statistics
from datetime import datetime
from pathlib import Path

import pytest
from django.core.management import call_command

from townsquare.insights.filters import Filters
from townsquare.insights.projection import rebuild, refresh
from townsquare.insights.report import build_report

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "twcs_sample.csv"
pytestmark = pytest.mark.django_db


def by_hand(path) -> list[float]:
    """Per thread: first customer tweet to the first brand tweet after it, in seconds."""
    rows = list(csv.DictReader(path.open(newline="", encoding="utf-8")))
    ids = {r["tweet_id"] for r in rows}
    parent = {r["tweet_id"]: r["in_response_to_tweet_id"] for r in rows}

    def root(tweet):
        while parent.get(tweet) in ids:
            tweet = parent[tweet]
        return tweet

    threads = {}
    for r in rows:
        when = datetime.strptime(r["created_at"], "%a %b %d %H:%M:%S %z %Y")
        threads.setdefault(root(r["tweet_id"]), []).append((when, r["inbound"] == "True"))
    waits = []
    for messages in threads.values():
        messages.sort()
        inbound = [t for t, is_in in messages if is_in]
        if not inbound:
            continue
        after = [t for t, is_in in messages if not is_in and t >= inbound[0]]
        if after:
            waits.append((after[0] - inbound[0]).total_seconds())
    return waits


def test_median_first_response_matches_the_threads_by_hand():
    call_command("ingest", str(FIXTURE), "--format", "twcs", "--channel", "twitter", stdout=io.StringIO())
    refresh()
    report = build_report(Filters(include_not_for_us=True)).as_json()
    waits = by_hand(FIXTURE)
    assert report["first_response_seconds"]["n"] == len(waits)
    assert report["first_response_seconds"]["value"] == pytest.approx(statistics.median(waits))


def test_rebuild_gives_the_same_figures_as_the_incremental_fold():
    call_command("ingest", str(FIXTURE), "--format", "twcs", "--channel", "twitter", stdout=io.StringIO())
    first = build_report(Filters(include_not_for_us=True)).as_json()
    rebuild()
    again = build_report(Filters(include_not_for_us=True)).as_json()
    for name in ("first_response_seconds", "resolution_seconds", "resolution_rate"):
        assert first[name] == again[name]
