"""Group-by over a fact frame: a key per conversation for a dimension, then figures for every group
at once (counts, proportions, quantiles, means of a small scale) without a Python loop over rows.

Quantiles: the values are sorted once (`Sorted`), then a stable sort by group keeps each group's
values in order, so every group's order statistics are read by index. Intervals are the same as
figures.py's, computed for all groups in one vectorised call.
"""

from dataclasses import dataclass

import numpy as np
from scipy import special, stats

from townsquare.insights import figures
from townsquare.insights.figures import Figure
from townsquare.insights.filters import FilterError
from townsquare.insights.frame import FactFrame
from townsquare.insights.timebuckets import period_labels

# The key of conversations a dimension has no value for (no queue, not triaged, not assigned).
NONE_KEY = "none"
ID_COLUMNS = {"channel": "channel_id", "queue": "queue_id", "agent": "assignee_id"}
TEXT_COLUMNS = {"language": "language", "kind": "kind", "level": "handler_level"}
DIMENSIONS = (*ID_COLUMNS, *TEXT_COLUMNS, "period")


@dataclass
class Groups:
    """The distinct keys and each row's group number."""

    keys: np.ndarray
    inverse: np.ndarray

    def __len__(self) -> int:
        return len(self.keys)


def group(frame: FactFrame, dimension: str) -> Groups:
    """Rows grouped by a dimension: ids as digits (ascending, "none" last), text and period
    labels in sorted order."""
    if dimension in ID_COLUMNS:
        values = frame[ID_COLUMNS[dimension]]
        known = ~np.isnan(values)
        unique, inverse = np.unique(values[known], return_inverse=True)
        names = [str(int(v)) for v in unique]
        result = np.full(len(values), len(names), dtype=np.int64)
        result[known] = inverse
        if not known.all():
            names.append(NONE_KEY)
        return Groups(np.array(names, dtype=object), result)
    if dimension in TEXT_COLUMNS:
        return _factorize(frame[TEXT_COLUMNS[dimension]])
    if dimension == "period":
        return _factorize(period_labels(frame["started_at"], frame.filters.zone, frame.filters.period))
    raise FilterError(f"unknown dimension {dimension!r}; use one of {', '.join(DIMENSIONS)}")


def keys(frame: FactFrame, dimension: str) -> np.ndarray:
    """Each conversation's key for a dimension (as in the tables' rows)."""
    groups = group(frame, dimension)
    return groups.keys[groups.inverse] if len(groups) else np.array([], dtype=object)


def _factorize(values: np.ndarray) -> Groups:
    """Groups of a text column through a dict (sorting 200,000 Python strings costs far more)."""
    raw = values.tolist()
    distinct = set(raw)
    name_of = {value: NONE_KEY if value in ("", None) else str(value) for value in distinct}
    names = sorted(set(name_of.values()))
    index = {name: i for i, name in enumerate(names)}
    lookup = {value: index[name] for value, name in name_of.items()}
    inverse = np.fromiter(map(lookup.__getitem__, raw), dtype=np.int64, count=len(raw))
    return Groups(np.array(names, dtype=object), inverse)


def whole(frame: FactFrame) -> Groups:
    """One group holding every row (the section's overall figures), even when there are none."""
    return Groups(np.array(["all"], dtype=object), np.zeros(len(frame), dtype=np.int64))


def tally(groups: Groups, mask: np.ndarray | None = None) -> np.ndarray:
    if mask is None:
        return np.bincount(groups.inverse, minlength=len(groups)).astype(np.int64)
    # Weighting by the mask is cheaper than copying the masked rows out.
    return np.rint(np.bincount(groups.inverse, weights=mask, minlength=len(groups))).astype(np.int64)


def counts(groups: Groups, mask: np.ndarray | None = None) -> list[Figure]:
    """Volumes with the exact Poisson interval (as figures.count)."""
    n = tally(groups, mask)
    # chi2.ppf(q, 2k) / 2 is the gamma quantile; scipy.special skips the distribution machinery.
    low = np.where(n > 0, special.gammaincinv(np.maximum(n, 1), 0.025), 0.0)
    high = special.gammaincinv(n + 1, 0.975)
    return [
        Figure(float(k), int(k), (float(lo), float(hi)), "count")
        for k, lo, hi in zip(n, low, high, strict=True)
    ]


def proportions(groups: Groups, successes: np.ndarray, base: np.ndarray, unit: str = "share") -> list[Figure]:
    """successes / base per group with the Clopper–Pearson interval (as figures.proportion)."""
    return shares(tally(groups, base & successes), tally(groups, base), unit)


def shares(k: np.ndarray, n: np.ndarray, unit: str = "share") -> list[Figure]:
    """k / n for many groups at once, each with its exact (Clopper–Pearson) 95% interval."""
    with np.errstate(invalid="ignore", divide="ignore"):
        low = np.where(k > 0, special.betaincinv(np.maximum(k, 1), n - k + 1, 0.025), 0.0)
        high = np.where(k < n, special.betaincinv(k + 1, np.maximum(n - k, 1), 0.975), 1.0)
    return [
        Figure(int(s) / int(t), int(t), (float(lo), float(hi)), unit) if t > 0 else figures.empty(unit)
        for s, t, lo, hi in zip(k, n, low, high, strict=True)
    ]


class MaskTally:
    """Counts per group of several row masks, and of any and/or/not of them, from one bincount per
    grouping: each row's masks are packed into a code, and a grouping counts (group, code) pairs.
    `bits[name]` says which codes have a mask set; combine them with & | ~ and pass to `count`."""

    def __init__(self, masks: dict[str, np.ndarray]):
        code = np.zeros(len(next(iter(masks.values()))), dtype=np.int64)
        for bit, mask in enumerate(masks.values()):
            code |= mask.astype(np.int64) << bit
        distinct, self.inverse = np.unique(code, return_inverse=True)
        self.bits = {name: (distinct >> bit) & 1 == 1 for bit, name in enumerate(masks)}
        self.codes = len(distinct)

    def per_group(self, groups: Groups) -> np.ndarray:
        """Rows per (group, code): a groups × codes matrix."""
        pairs = groups.inverse * self.codes + self.inverse
        return np.bincount(pairs, minlength=len(groups) * self.codes).reshape(len(groups), self.codes)

    @staticmethod
    def count(matrix: np.ndarray, codes: np.ndarray) -> np.ndarray:
        """Rows per group whose code is among `codes` (a boolean vector over codes)."""
        return matrix @ codes.astype(np.int64)


@dataclass
class Sorted:
    """A value column's known values in ascending order and the rows they came from."""

    values: np.ndarray
    rows: np.ndarray

    @classmethod
    def of(cls, column: np.ndarray) -> "Sorted":
        rows = np.flatnonzero(~np.isnan(column))
        order = np.argsort(column[rows])
        return cls(column[rows][order], rows[order])


def quantiles(
    groups: Groups, column: Sorted, qs=(0.5, 0.9), unit: str = "seconds"
) -> dict[float, list[Figure]]:
    """The q-quantiles of every group, each with its order-statistic 95% interval."""
    member = groups.inverse[column.rows]
    # A stable sort by group keeps values ascending within each; small ints sort by radix.
    narrow = member.astype(np.uint16) if len(groups) < 2**16 else member
    order = np.argsort(narrow, kind="stable")
    values = column.values[order]
    n = np.bincount(member, minlength=len(groups)).astype(np.int64)
    starts = np.cumsum(n) - n
    has = n > 0
    result = {}
    for q in qs:
        position = q * np.maximum(n - 1, 0)
        below = np.floor(position).astype(np.int64)
        above = np.minimum(below + 1, np.maximum(n - 1, 0))
        at_below = values[np.where(has, starts + below, 0)] if len(values) else np.zeros(len(n))
        at_above = values[np.where(has, starts + above, 0)] if len(values) else np.zeros(len(n))
        value = at_below + (position - below) * (at_above - at_below)
        low, high = _ci_ranks(n, q)
        ok = has & (low >= 1) & (high <= n)
        ci_low = values[np.where(ok, starts + low - 1, 0)] if len(values) else value
        ci_high = values[np.where(ok, starts + high - 1, 0)] if len(values) else value
        result[q] = [
            Figure(float(value[i]), int(n[i]), (float(ci_low[i]), float(ci_high[i])) if ok[i] else None, unit)
            if has[i]
            else figures.empty(unit)
            for i in range(len(n))
        ]
    return result


def _ci_ranks(n: np.ndarray, q: float, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """1-based ranks of figures.quantile_ci_ranks for many sample sizes at once."""
    alpha = 1 - confidence
    sizes, inverse = np.unique(np.maximum(n, 1), return_inverse=True)  # groups often share a size
    low = stats.binom.ppf(alpha / 2, sizes, q).astype(np.int64)
    high = stats.binom.ppf(1 - alpha / 2, sizes, q).astype(np.int64) + 1
    return low[inverse], high[inverse]


def scale_means(groups: Groups, scores: np.ndarray, unit: str = "score") -> list[Figure]:
    """Means of a whole-number scale (CSAT 1–5) with the exact percentile-bootstrap 95% interval.

    Resampling n answers from a small scale has a distribution we can compute instead of
    sampling: the n-fold convolution of the answers' frequencies (by FFT, for groups of a similar
    size at once). Its 2.5% and 97.5% points are what a percentile bootstrap converges to with
    unlimited resamples, with no seed; 2,000 resamples per group cost seconds.
    """
    known = ~np.isnan(scores)
    member, values = groups.inverse[known], scores[known].astype(np.int64)
    size = len(groups)
    if size == 0:
        return []
    if len(values) == 0:
        return [figures.empty(unit)] * size
    lowest = int(values.min())
    width = int(values.max()) - lowest + 1
    table = np.bincount(member * width + (values - lowest), minlength=size * width).reshape(size, width)
    n = table.sum(axis=1)
    means = lowest + table @ np.arange(width) / np.maximum(n, 1)
    low, high = bootstrap_intervals(table)
    return [
        figures.empty(unit)
        if n[i] == 0
        else Figure(
            float(means[i]),
            int(n[i]),
            (lowest + float(low[i]), lowest + float(high[i])) if n[i] > 1 else None,
            unit,
        )
        for i in range(size)
    ]


def bootstrap_intervals(table: np.ndarray, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """For each row of answer counts over a scale 0..span: the (low, high) points of the mean of
    n draws with replacement (NaN where a row has no answers)."""
    n = table.sum(axis=1)
    span = table.shape[1] - 1
    low, high = np.full(len(n), np.nan), np.full(len(n), np.nan)
    if span == 0:
        low[n > 0] = high[n > 0] = 0.0
        return low, high
    safe = np.maximum(n, 1)
    p = table / safe[:, None]
    steps = np.arange(span + 1)
    centre = n * (p @ steps)
    spread = np.sqrt(n * np.einsum("ij,ij->i", p, (steps[None, :] - (p @ steps)[:, None]) ** 2))
    full = n * span + 1
    # Sums further than 12 standard deviations from the centre carry no mass worth a float: a
    # transform that long suffices, the sums wrapping around it. Powers of two batch the groups.
    needed = np.minimum(full, 24 * spread + 64)
    length = 2 ** np.ceil(np.log2(np.maximum(needed, 2))).astype(np.int64)
    first = np.where(length >= full, 0, np.clip(np.floor(centre - length / 2) + 1, 0, full - length))
    first = first.astype(np.int64)
    tails = ((1 - confidence) / 2, (1 + confidence) / 2)
    for size in np.unique(length[n > 0]):
        matching = np.flatnonzero((length == size) & (n > 0))
        # About two million cells per batch keeps memory small whatever the groups.
        for start in range(0, len(matching), max(1, 2_000_000 // int(size))):
            rows = matching[start : start + max(1, 2_000_000 // int(size))]
            spectrum = np.fft.rfft(p[rows], int(size), axis=1) ** n[rows, None]
            mass = np.clip(np.fft.irfft(spectrum, int(size), axis=1), 0.0, None)
            # Sum s sits at index s mod size; the window starts at `first`.
            window = (first[rows, None] + np.arange(size)[None, :]) % size
            cumulative = np.cumsum(np.take_along_axis(mass, window, axis=1), axis=1)
            cumulative /= cumulative[:, -1:]
            low[rows] = (first[rows] + (cumulative < tails[0]).sum(axis=1)) / n[rows]
            high[rows] = (first[rows] + (cumulative < tails[1]).sum(axis=1)) / n[rows]
    return low, high
