"""Word of mouth over 200,000 conversation facts (a million messages) comes from the frame alone:
no query, and well inside the report's budget."""

import time

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from townsquare.insights.filters import Filters
from townsquare.insights.frame import FactFrame
from townsquare.insights.wom_columns import pack
from townsquare.insights.word_of_mouth import word_of_mouth

pytestmark = pytest.mark.django_db
N = 200_000


def big_frame(period: str) -> FactFrame:
    rng = np.random.default_rng(2)
    start = 1.76e9 + rng.random(N) * 365 * 86400
    kind = np.array(["", "help", "help", "marketing"], dtype=object)[rng.integers(0, 4, N)]
    before_n = np.where(kind == "", 0, rng.integers(0, 4, N)).astype(float)
    after_n = np.where(kind == "", 0, rng.integers(0, 4, N)).astype(float)
    columns = {
        "conversation_id": np.arange(N, dtype=float),
        "started_at": start,
        "wom_negative": rng.integers(0, 3, N).astype(float),
        "wom_neutral": rng.integers(0, 3, N).astype(float),
        "wom_positive": rng.integers(0, 2, N).astype(float),
        "wom_marketing_posts": (kind == "marketing").astype(float),
        "wom_help_posts": (kind == "help").astype(float),
        "wom_unscored_posts": (rng.random(N) < 0.01).astype(float),
        "wom_post_kind": kind,
        "wom_post_at": np.where(kind == "", np.nan, start + 600),
        "wom_before_sum": before_n * rng.choice([-1, 0, 1], N),
        "wom_before_n": before_n,
        "wom_after_sum": after_n * rng.choice([-1, 0, 1], N),
        "wom_after_n": after_n,
    }
    # The database packs the summary into three numbers per conversation (wom_columns.py).
    columns.update(pack(columns))
    return FactFrame(columns, Filters(period=period, time_zone="Europe/London"))


@pytest.mark.parametrize("period", ["week", "day"])
def test_two_hundred_thousand_conversations_without_a_query(period):
    frame = big_frame(period)
    timings = []
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            started = time.process_time()  # CPU time: other processes on the machine do not count
            section = word_of_mouth(frame, frame.filters)
            timings.append(time.process_time() - started)
        assert len(queries) == 0
    labelled = int(frame["wom_negative"].sum() + frame["wom_neutral"].sum() + frame["wom_positive"].sum())
    assert section["figures"]["net_sentiment"].n == labelled
    assert section["figures"]["marketing_posts"].value == (frame["wom_post_kind"] == "marketing").sum()
    print(f"word of mouth section, {period}: {min(timings):.3f} s CPU")
    assert min(timings) < 0.6, timings
