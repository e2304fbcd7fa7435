"""The impact estimators on small hand-made inputs: difference-in-differences and the
interrupted time series (segmented regression). Pure functions, no database."""

from datetime import UTC, datetime

import numpy as np
import pytest

from townsquare.insights.figures import MIN_N
from townsquare.insights.impact import (
    BOOTSTRAP_LIMIT,
    arm_change,
    difference_in_differences,
    event_windows,
    segmented_regression,
)
from townsquare.insights.wom_summary import summarise


def test_difference_in_differences_matches_the_hand_computation():
    before = [0, 0, 1, 0, -1, 0, 0, 1, 0, 0] + [-1, -1, 0, 0, -1, -1, 0, -1, 0, -1]
    after = [-1, -1, 0, -1, -1, 0, -1, 0, -1, -1] + [1, 0, 1, 1, 0, 1, 1, 0, 1, 1]
    marketing = [True] * 10 + [False] * 10
    # Marketing: after sums to −7, before to 1 → change −0.8; help: 7 − (−6) = 13 → 1.3.
    did = difference_in_differences(before, after, marketing)
    assert did.value == pytest.approx(-0.8 - 1.3)
    assert did.arms == {"marketing": 10, "help": 10}
    assert did.n == 20
    assert not did.too_small
    low, high = did.ci95
    assert low <= did.value <= high < 0
    again = difference_in_differences(before, after, marketing)
    assert again.ci95 == did.ci95  # seeded: the same data gives the same interval


def test_an_arm_below_the_minimum_is_too_small():
    before, after = [0] * (MIN_N + 3), [1] * (MIN_N + 3)
    marketing = [True] * 3 + [False] * MIN_N
    did = difference_in_differences(before, after, marketing)
    assert did.value == pytest.approx(0.0)
    assert did.too_small
    assert did.as_dict()["too_small"] is True
    assert did.as_dict()["arms"] == {"marketing": 3, "help": MIN_N}
    empty = difference_in_differences([0.0], [1.0], [False])
    assert empty.value is None and empty.too_small


def test_large_samples_use_the_normal_interval_around_the_same_value():
    rng = np.random.default_rng(7)
    n = BOOTSTRAP_LIMIT + 2
    change = rng.choice([-1.0, 0.0, 1.0], size=n)
    marketing = np.arange(n) % 2 == 0
    did = difference_in_differences(np.zeros(n), change, marketing)
    by_hand = change[marketing].mean() - change[~marketing].mean()
    se = np.sqrt(
        change[marketing].var(ddof=1) / marketing.sum() + change[~marketing].var(ddof=1) / (~marketing).sum()
    )
    assert did.value == pytest.approx(by_hand)
    assert did.ci95 == pytest.approx((by_hand - 1.96 * se, by_hand + 1.96 * se), abs=1e-4)
    one_arm = arm_change(change)
    assert one_arm.value == pytest.approx(change.mean())


def test_segmented_regression_recovers_a_known_level_shift():
    t = np.arange(-10, 10, dtype=float)
    post = (t >= 0).astype(float)
    wiggle = np.array([0.01, -0.01] * 10)  # small, known noise so the fit has residuals
    y = 0.2 + 0.01 * t - 0.3 * post + wiggle
    fit = segmented_regression(t, y, post)
    assert fit.level_change == pytest.approx(-0.3, abs=0.02)
    assert fit.slope_change == pytest.approx(0.0, abs=0.01)
    assert fit.level_ci95[0] <= -0.3 <= fit.level_ci95[1]
    assert fit.level_ci95[1] < 0
    assert fit.n == 20 and fit.windows == 1


def test_segmented_regression_recovers_a_slope_change_across_windows():
    t = np.tile(np.arange(-5, 5, dtype=float), 3)
    post = (t >= 0).astype(float)
    groups = np.repeat([0, 1, 2], 10)
    baselines = np.array([0.5, -0.2, 0.1])[groups]  # each window starts from its own level
    y = baselines + 0.02 * t + 0.1 * post - 0.05 * post * t + np.tile([0.005, -0.005], 15)
    fit = segmented_regression(t, y, post, groups)
    assert fit.level_change == pytest.approx(0.1, abs=0.01)
    assert fit.slope_change == pytest.approx(-0.05, abs=0.005)
    assert fit.slope_ci95[0] <= -0.05 <= fit.slope_ci95[1]
    assert fit.windows == 3


def test_too_few_days_give_no_fit():
    fit = segmented_regression([-1.0, 0.0, 1.0], [0.1, 0.2, 0.3], [0.0, 1.0, 1.0])
    assert fit.level_change is None and fit.level_ci95 is None


def test_event_windows_take_clean_interruptions_only():
    days = np.arange(100, 130)
    values = np.arange(30, dtype=float)
    # Day 110 opens a window; 112 falls in its baseline-to-be of 5 days and is skipped; 125 is clean.
    t, y, post, groups = event_windows(days, values, [110, 112, 125], window=5)
    # Window of 110: days 105..114 → t −5..4; of 125: days 120..129 → t −5..4.
    assert list(t) == list(range(-5, 5)) * 2
    assert list(y) == list(range(5, 15)) + list(range(20, 30))
    assert list(post) == [0.0] * 5 + [1.0] * 5 + [0.0] * 5 + [1.0] * 5
    assert list(groups) == [0] * 10 + [1] * 10
    nothing = event_windows(days, values, [], window=5)
    assert all(len(part) == 0 for part in nothing)


def test_the_summary_takes_the_nearest_customer_messages_around_the_post_that_counts():
    at = [datetime(2026, 3, 2, 9, minute, tzinfo=UTC) for minute in range(8)]
    threshold = 0.5
    # In time: −1, +1, help, +1, (unlabelled), marketing, −1, −1, and a post not scored yet.
    messages = [
        (at[0], "in", -1, None),
        (at[1], "in", 1, None),
        (at[2], "out", None, 0.1),
        (at[3], "in", 1, None),
        (at[3], "in", None, None),
        (at[4], "out", None, 0.9),
        (at[5], "in", -1, None),
        (at[6], "in", -1, None),
        (at[7], "out", None, None),
    ]
    summary = summarise(messages, threshold, k=2)
    # The marketing post counts; k=2 before it: help and the unlabelled one are skipped → +1, +1.
    assert summary == {
        "wom_negative": 3,
        "wom_neutral": 0,
        "wom_positive": 2,
        "wom_marketing_posts": 1,
        "wom_help_posts": 1,
        "wom_unscored_posts": 1,
        "wom_post_kind": "marketing",
        "wom_post_at": at[4],
        "wom_before_sum": 2,
        "wom_before_n": 2,
        "wom_after_sum": -2,
        "wom_after_n": 2,
    }
    # No marketing post: the first post counts (−1 before; 0, +1 after).
    helped = summarise(
        [
            (at[0], "in", -1, None),
            (at[1], "out", None, 0.2),
            (at[2], "in", 0, None),
            (at[3], "out", None, 0.3),
            (at[4], "in", 1, None),
        ],
        threshold,
        k=2,
    )
    assert (helped["wom_post_kind"], helped["wom_post_at"]) == ("help", at[1])
    assert (
        helped["wom_before_sum"],
        helped["wom_before_n"],
        helped["wom_after_sum"],
        helped["wom_after_n"],
    ) == (-1, 1, 1, 2)
    # A score exactly at the threshold is marketing (as the guard judges).
    assert summarise([(at[0], "out", None, threshold)], threshold)["wom_post_kind"] == "marketing"
    nothing = summarise([], threshold)
    assert nothing["wom_post_kind"] == "" and nothing["wom_post_at"] is None and nothing["wom_negative"] == 0


def test_the_bootstrap_of_few_valued_sentiments_stays_fast_at_its_largest():
    import time

    rng = np.random.default_rng(3)
    n = BOOTSTRAP_LIMIT  # the largest sample still bootstrapped (not the normal approximation)
    before, after = rng.choice([-1.0, 0.0, 1.0], size=n), rng.choice([-1.0, -0.5, 0.0, 0.5, 1.0], size=n)
    marketing = np.arange(n) % 2 == 0
    started = time.process_time()  # CPU time: other processes on the machine do not count
    did = difference_in_differences(before, after, marketing)
    spent = time.process_time() - started
    change = after - before
    by_hand = change[marketing].mean() - change[~marketing].mean()
    se = np.sqrt(change[marketing].var(ddof=1) / (n / 2) + change[~marketing].var(ddof=1) / (n / 2))
    # The resampled interval agrees with the normal one at this size (within a twentieth of its width).
    assert did.ci95 == pytest.approx((by_hand - 1.96 * se, by_hand + 1.96 * se), abs=0.2 * se)
    assert spent < 0.2, spent


def test_the_packed_summary_unpacks_to_its_values():
    from townsquare.insights.wom_columns import CAP, pack, unpack

    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC).timestamp()
    columns = {
        "started_at": np.array([start, start, start]),
        "wom_negative": np.array([2, 0, CAP + 5]),
        "wom_neutral": np.array([0, 7, 0]),
        "wom_positive": np.array([1, 0, 3]),
        "wom_marketing_posts": np.array([1, 0, 0]),
        "wom_help_posts": np.array([2, 0, 1]),
        "wom_unscored_posts": np.array([0, 4, 0]),
        # A marketing post an hour before the customer wrote (a proactive post), none, a help post.
        "wom_post_kind": np.array(["marketing", "", "help"], dtype=object),
        "wom_post_at": np.array([start - 3600, np.nan, start + 86400 * 400]),
        "wom_before_sum": np.array([-3, 0, 2]),
        "wom_before_n": np.array([3, 0, 2]),
        "wom_after_sum": np.array([3, 0, -1]),
        "wom_after_n": np.array([3, 0, 1]),
    }
    found = unpack({**pack(columns), "started_at": columns["started_at"]})
    assert found["wom_negative"].tolist() == [2, 0, CAP]  # capped, far beyond any conversation
    assert found["wom_neutral"].tolist() == [0, 7, 0]
    assert found["wom_help_posts"].tolist() == [2, 0, 1]
    assert found["wom_unscored_posts"].tolist() == [0, 4, 0]
    assert found["wom_post_kind"].tolist() == [2, 0, 1]
    assert found["wom_post_at"][[0, 2]].tolist() == [start - 3600, start + 86400 * 400]
    assert np.isnan(found["wom_post_at"][1])
    assert found["wom_before_sum"].tolist() == [-3, 0, 2]
    assert found["wom_before_n"].tolist() == [3, 0, 2]
    assert found["wom_after_sum"].tolist() == [3, 0, -1]
    assert found["wom_after_n"].tolist() == [3, 0, 1]
