"""Figures with their sample size and a 95% confidence interval, or "not enough data".

- Medians and other quantiles: the distribution-free interval from binomial order statistics
  (exact for any continuous distribution, no resampling, so it is fast on 200,000 values).
- Proportions (rates, shares): the exact Clopper–Pearson interval.
- Means (CSAT): a seeded percentile bootstrap.
"""

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

# Below this many observations a figure is shown as "not enough data" (the value is still given
# to API callers, with `too_small: true`).
MIN_N = 10
BOOTSTRAP_RESAMPLES = 2000
SEED = 20261124


@dataclass(frozen=True)
class Figure:
    value: float | None
    n: int
    ci95: tuple[float, float] | None
    unit: str = ""

    @property
    def too_small(self) -> bool:
        return self.n < MIN_N or self.value is None

    def as_dict(self) -> dict:
        return {
            "value": _clean(self.value),
            "n": self.n,
            "ci95": [_clean(self.ci95[0]), _clean(self.ci95[1])] if self.ci95 is not None else None,
            "too_small": self.too_small,
            "unit": self.unit,
        }


def _clean(value):
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else round(value, 6)


def empty(unit: str = "") -> Figure:
    return Figure(None, 0, None, unit)


def quantile(values, q: float = 0.5, unit: str = "seconds") -> Figure:
    """The q-quantile (linear interpolation) with an order-statistic 95% interval."""
    data = np.sort(np.asarray(values, dtype=float))
    data = data[~np.isnan(data)]
    n = len(data)
    if n == 0:
        return empty(unit)
    value = float(np.quantile(data, q))
    low_rank, high_rank = quantile_ci_ranks(n, q)
    ci = (float(data[low_rank]), float(data[high_rank])) if low_rank is not None else None
    return Figure(value, n, ci, unit)


def quantile_ci_ranks(n: int, q: float, confidence: float = 0.95) -> tuple[int | None, int | None]:
    """0-based ranks (l, u) of the sorted sample with P(X(l) <= quantile <= X(u)) >= confidence,
    or (None, None) when n is too small for any such pair."""
    alpha = 1 - confidence
    # Order statistic j (1-based) lies below the quantile with probability BinomCDF(j-1; n, q).
    low = int(stats.binom.ppf(alpha / 2, n, q))
    high = int(stats.binom.ppf(1 - alpha / 2, n, q)) + 1
    if low < 1 or high > n:
        return None, None
    return low - 1, high - 1


def proportion(successes: int, n: int, unit: str = "share") -> Figure:
    """successes / n with the exact (Clopper–Pearson) 95% interval."""
    if n <= 0:
        return empty(unit)
    k = int(successes)
    low = 0.0 if k == 0 else float(stats.beta.ppf(0.025, k, n - k + 1))
    high = 1.0 if k == n else float(stats.beta.ppf(0.975, k + 1, n - k))
    return Figure(k / n, n, (low, high), unit)


def mean(values, unit: str = "", seed: int = SEED) -> Figure:
    """The mean with a seeded percentile-bootstrap 95% interval."""
    data = np.asarray(values, dtype=float)
    n = len(data)
    if n == 0:
        return empty(unit)
    value = float(data.mean())
    if n == 1:
        return Figure(value, 1, None, unit)
    rng = np.random.default_rng(seed)
    means = np.empty(BOOTSTRAP_RESAMPLES)
    # Resample in blocks so memory stays small for large n.
    block = max(1, 2_000_000 // n)
    for start in range(0, BOOTSTRAP_RESAMPLES, block):
        stop = min(BOOTSTRAP_RESAMPLES, start + block)
        means[start:stop] = data[rng.integers(0, n, size=(stop - start, n))].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return Figure(value, n, (float(low), float(high)), unit)


def count(n: int) -> Figure:
    """A volume, with the exact (Garwood) Poisson 95% interval of the rate it was drawn from:
    the range of volumes the same period could plausibly have had."""
    n = int(n)
    low = 0.0 if n == 0 else float(stats.chi2.ppf(0.025, 2 * n) / 2)
    high = float(stats.chi2.ppf(0.975, 2 * n + 2) / 2)
    return Figure(float(n), n, (low, high), "count")
