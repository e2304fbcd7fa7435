"""How brand posts move customer sentiment: two estimators, plain numpy/scipy (no Django).

- Difference-in-differences over conversations: the change in the customer's sentiment from
  before a brand post to after it, after marketing posts minus after help posts. Its 95% interval
  is a seeded bootstrap that resamples conversations within each arm (a normal approximation
  above BOOTSTRAP_LIMIT conversations, where the bootstrap would cost seconds and agrees with it).
- Interrupted time series: a segmented regression (OLS) of a daily series on time, a step and a
  slope change at each interruption, with t-based 95% intervals.
"""

from dataclasses import dataclass, field

import numpy as np
from scipy import stats

from townsquare.insights.figures import BOOTSTRAP_RESAMPLES, MIN_N, SEED, Figure

BOOTSTRAP_LIMIT = 20_000
# Up to this many distinct values, a bootstrap resample is drawn as counts of each value.
FEW_VALUES = 64
Z95 = 1.959963984540054


@dataclass(frozen=True)
class ArmsFigure(Figure):
    """A figure that compares two arms: "not enough data" when either arm is small."""

    arms: dict = field(default_factory=dict)

    @property
    def too_small(self) -> bool:
        return self.value is None or min(self.arms.values(), default=0) < MIN_N

    def as_dict(self) -> dict:
        return {**super().as_dict(), "arms": dict(self.arms)}


def _resampled_means(values: np.ndarray, rng: np.random.Generator, resamples: int) -> np.ndarray:
    """Means of `resamples` bootstrap resamples of `values`. Sentiment means take few distinct
    values, and a resample of n of them is then one multinomial draw of how often each occurs: the
    same distribution as drawing n indexes, at a cost that does not grow with n. Otherwise
    indexes are drawn, in blocks so memory stays small."""
    n = len(values)
    distinct, occurs = np.unique(values, return_counts=True)
    if len(distinct) <= FEW_VALUES:
        return rng.multinomial(n, occurs / n, size=resamples) @ distinct / n
    means = np.empty(resamples)
    block = max(1, 2_000_000 // max(n, 1))
    for start in range(0, resamples, block):
        stop = min(resamples, start + block)
        means[start:stop] = values[rng.integers(0, n, size=(stop - start, n))].mean(axis=1)
    return means


def arm_change(changes, unit: str = "score", seed: int = SEED) -> Figure:
    """Mean change of one arm with a 95% interval (bootstrap, or normal beyond BOOTSTRAP_LIMIT)."""
    data = np.asarray(changes, dtype=float)
    n = len(data)
    if n == 0:
        return Figure(None, 0, None, unit)
    value = float(data.mean())
    if n == 1:
        return Figure(value, 1, None, unit)
    if n > BOOTSTRAP_LIMIT:
        half = Z95 * float(data.std(ddof=1)) / np.sqrt(n)
        return Figure(value, n, (value - half, value + half), unit)
    low, high = np.percentile(
        _resampled_means(data, np.random.default_rng(seed), BOOTSTRAP_RESAMPLES), [2.5, 97.5]
    )
    return Figure(value, n, (float(low), float(high)), unit)


def difference_in_differences(before, after, marketing, unit: str = "score", seed: int = SEED) -> ArmsFigure:
    """(mean after−before | marketing) − (mean after−before | help), one value per conversation.

    `before` and `after` are each conversation's mean customer sentiment before and after its
    brand post; `marketing` says which arm the conversation is in."""
    before = np.asarray(before, dtype=float)
    after = np.asarray(after, dtype=float)
    marketing = np.asarray(marketing, dtype=bool)
    change = after - before
    treated, control = change[marketing], change[~marketing]
    arms = {"marketing": len(treated), "help": len(control)}
    if not len(treated) or not len(control):
        return ArmsFigure(None, len(change), None, unit, arms)
    value = float(treated.mean() - control.mean())
    if len(treated) < 2 or len(control) < 2:
        return ArmsFigure(value, len(change), None, unit, arms)
    if len(change) > BOOTSTRAP_LIMIT:
        se = np.sqrt(treated.var(ddof=1) / len(treated) + control.var(ddof=1) / len(control))
        return ArmsFigure(value, len(change), (value - Z95 * se, value + Z95 * se), unit, arms)
    rng = np.random.default_rng(seed)
    # Stratified: each arm is resampled on its own, so both keep their size in every resample.
    spread = _resampled_means(treated, rng, BOOTSTRAP_RESAMPLES) - _resampled_means(
        control, rng, BOOTSTRAP_RESAMPLES
    )
    low, high = np.percentile(spread, [2.5, 97.5])
    return ArmsFigure(value, len(change), (float(low), float(high)), unit, arms)


@dataclass(frozen=True)
class SegmentedFit:
    """Level and slope change at the interruption, each with its 95% interval; n observations."""

    level_change: float | None
    level_ci95: tuple[float, float] | None
    slope_change: float | None
    slope_ci95: tuple[float, float] | None
    n: int
    windows: int


def segmented_regression(t, y, post, groups=None) -> SegmentedFit:
    """OLS of y on a baseline level (one per group), a common slope in t, a step at the
    interruption (`post`) and a change of slope after it (post × t); t is 0 at the interruption.

    The step is the level change: how far the series jumps at the interruption beyond its trend."""
    t = np.asarray(t, dtype=float)
    y = np.asarray(y, dtype=float)
    post = np.asarray(post, dtype=float)
    groups = np.zeros(len(t), dtype=int) if groups is None else np.asarray(groups)
    _, group_index = np.unique(groups, return_inverse=True)
    windows = int(group_index.max()) + 1 if len(t) else 0
    baselines = np.zeros((len(t), windows))
    baselines[np.arange(len(t)), group_index] = 1.0
    design = np.column_stack([baselines, t, post, post * t])
    n, p = design.shape
    empty = SegmentedFit(None, None, None, None, n, windows)
    if n <= p or np.linalg.matrix_rank(design) < p:
        return empty
    coef, _, _, _ = np.linalg.lstsq(design, y, rcond=None)
    residuals = y - design @ coef
    dof = n - p
    sigma2 = float(residuals @ residuals) / dof
    covariance = sigma2 * np.linalg.inv(design.T @ design)
    quantile = float(stats.t.ppf(0.975, dof))

    def interval(index: int) -> tuple[float, float]:
        half = quantile * float(np.sqrt(max(covariance[index, index], 0.0)))
        return float(coef[index] - half), float(coef[index] + half)

    return SegmentedFit(float(coef[-2]), interval(p - 2), float(coef[-1]), interval(p - 1), n, windows)


def event_windows(days, values, event_days, window: int) -> tuple[np.ndarray, ...]:
    """Stack the series around each interruption day for `segmented_regression`: (t, y, post, group).

    `days` are whole day numbers with a value each. An interruption counts only when no other one
    fell in the `window` days before it (a clean baseline); its window runs from `window` days
    before to `window` − 1 days after (the day itself is the first day after)."""
    days = np.asarray(days, dtype=np.int64)
    values = np.asarray(values, dtype=float)
    events = np.unique(np.asarray(event_days, dtype=np.int64))
    clean = events[np.concatenate([[True], np.diff(events) > window])] if len(events) else events
    parts_t, parts_y, parts_g = [], [], []
    for index, start in enumerate(clean):
        inside = (days >= start - window) & (days < start + window)
        offsets = days[inside] - start
        # A window needs days on both sides to say anything about a change.
        if (offsets < 0).sum() < 2 or (offsets >= 0).sum() < 2:
            continue
        parts_t.append(offsets)
        parts_y.append(values[inside])
        parts_g.append(np.full(len(offsets), index))
    if not parts_t:
        nothing = np.array([], dtype=float)
        return nothing, nothing, nothing, np.array([], dtype=int)
    t = np.concatenate(parts_t).astype(float)
    return t, np.concatenate(parts_y), (t >= 0).astype(float), np.concatenate(parts_g)
