"""The impact estimators on small hand-made inputs: difference-in-differences and the
interrupted time series (segmented regression). Pure functions, no database."""

import numpy as np
import pytest

from townsquare.insights.figures import MIN_N
from townsquare.insights.impact import (
    BOOTSTRAP_LIMIT,
    arm_change,
    difference_in_differences,
    event_windows,
    segmented_regression,
    windows_around_posts,
)


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


def test_windows_take_the_nearest_customer_messages_around_the_post_that_counts():
    # Codes: 0/1/2 customer sentiment −1/0/1, 3 marketing post, 4 help post. Given out of order.
    conversation = [7, 7, 7, 7, 7, 7, 7, 9, 9, 9, 9, 5, 5]
    order = [1, 0, 2, 3, 4, 5, 6, 3, 2, 1, 0, 0, 1]
    codes = [2, 0, 4, 2, 3, 0, 0, 2, 1, 4, 0, 2, 4]
    # Conversation 7 in time: −1, +1, help, +1, marketing, −1, −1: the marketing post counts;
    # k=2 before it: help is skipped, the nearest customer messages are +1, +1; after: −1, −1.
    # Conversation 9 in time: −1, help, 0, +1: before −1; after 0, +1.
    # Conversation 5: a customer message, then a post with nothing after it: left out.
    rows = windows_around_posts(conversation, order, codes, k=2)
    assert rows.tolist() == [[1.0, 2.0, 2.0, -2.0, 2.0], [0.0, -1.0, 1.0, 1.0, 2.0]]
    assert windows_around_posts([], [], [], k=2).shape == (0, 5)
