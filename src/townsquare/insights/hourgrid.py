"""The hours a report covers, each labelled with its local hour-of-week slot (DST-correct).

A week has 168 slots (weekday × hour, local time). Each UTC hour of the range falls in one slot;
how many hours fall in a slot is its exposure — about the number of weeks, one less for the hour
the clocks skip in spring and one more for the hour they repeat in autumn.

The zone's offset is looked up once per day of the range, and hour by hour only on the days it
changes (a year is ~400 lookups); an instant in an hour whose offset changes part-way (zones that
change at half past a UTC hour) is looked up on its own.
"""

import math
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import numpy as np
from scipy import stats

from townsquare.insights.figures import Figure
from townsquare.insights.filters import Filters
from townsquare.insights.frame import FactFrame
from townsquare.insights.timebuckets import DAY, HOUR, WEEKDAYS

SLOTS = 7 * 24
# At most three years of hours: enough for any staffing question, and bounded work.
MAX_HOURS = 3 * 8766


def _offset_at(epoch: float, zone: ZoneInfo) -> float:
    return datetime.fromtimestamp(epoch, UTC).astimezone(zone).utcoffset().total_seconds()


def _hour_offsets(first_hour: int, hours: int, zone: ZoneInfo) -> tuple[np.ndarray, np.ndarray]:
    """Offset at the start of each hour, and whether it differs at the hour's end."""
    at_start = np.empty(hours)
    changes = np.zeros(hours, dtype=bool)
    for day_start in range(0, hours, 24):
        day_end = min(day_start + 24, hours)
        first = _offset_at((first_hour + day_start) * HOUR, zone)
        last = _offset_at((first_hour + day_end) * HOUR - 1e-3, zone)
        if first == last:
            at_start[day_start:day_end] = first
            continue
        for hour in range(day_start, day_end):
            at_start[hour] = _offset_at((first_hour + hour) * HOUR, zone)
            changes[hour] = at_start[hour] != _offset_at((first_hour + hour + 1) * HOUR - 1e-3, zone)
    return at_start, changes


def exact(epochs) -> np.ndarray:
    """Epoch seconds to the millisecond: SQLite's julianday arithmetic is off by microseconds,
    which would move an instant on the hour into the hour before."""
    return np.round(np.asarray(epochs, dtype=float), 3)


def _slot(local: np.ndarray) -> np.ndarray:
    hour = np.floor(local / HOUR) % 24
    weekday = (np.floor(local / DAY) + 3) % 7  # 1970-01-01 was a Thursday
    return (weekday * 24 + hour).astype(np.int64)


@dataclass
class HourGrid:
    first_hour: int  # epoch hour (epoch seconds / 3600) of the first hour in the range
    offsets: np.ndarray  # the zone's UTC offset at the start of each hour of the range
    changes: np.ndarray  # whether the offset changes within the hour
    zone: ZoneInfo
    clipped: bool = False

    def __post_init__(self) -> None:
        self.slots = _slot(self.hour_starts + self.offsets)
        self.exposure = np.bincount(self.slots, minlength=SLOTS).astype(float)

    @property
    def hours(self) -> int:
        return len(self.offsets)

    @property
    def start(self) -> float:
        return self.first_hour * HOUR

    @property
    def end(self) -> float:
        return (self.first_hour + self.hours) * HOUR

    @property
    def hour_starts(self) -> np.ndarray:
        return (self.first_hour + np.arange(self.hours)) * HOUR

    def hour_index(self, epochs: np.ndarray) -> np.ndarray:
        """Index of each instant's hour in the range (may be outside 0 … hours − 1)."""
        return (np.floor(exact(epochs) / HOUR) - self.first_hour).astype(np.int64)

    def inside(self, epochs: np.ndarray) -> np.ndarray:
        epochs = exact(epochs)
        with np.errstate(invalid="ignore"):
            return ~np.isnan(epochs) & (epochs >= self.start) & (epochs < self.end)

    def slots_of(self, epochs: np.ndarray) -> np.ndarray:
        """Local hour-of-week slot of each instant; -1 outside the range or none."""
        epochs = exact(epochs)
        result = np.full(epochs.shape, -1, dtype=np.int64)
        inside = self.inside(epochs)
        values = epochs[inside]
        index = self.hour_index(values)
        offsets = self.offsets[index]
        changing = self.changes[index]
        if changing.any():
            offsets[changing] = [_offset_at(v, self.zone) for v in values[changing]]
        result[inside] = _slot(values + offsets)
        return result


def slot_label(slot: int) -> str:
    return f"{WEEKDAYS[slot // 24]} {slot % 24:02d}:00"


def hour_grid(frame: FactFrame, filters: Filters, now: float | None = None) -> HourGrid | None:
    """Whole hours from the filters' start (else the first conversation) to their end (else the
    last conversation), never past now: future hours have had no arrivals yet."""
    now = time.time() if now is None else now
    started = frame["started_at"]
    known = exact(started[~np.isnan(started)])
    start = filters.since.timestamp() if filters.since else (known.min() if len(known) else None)
    end = filters.until.timestamp() if filters.until else (known.max() + 1 if len(known) else None)
    if start is None or end is None:
        return None
    end = min(end, now)
    first, last = math.floor(start / HOUR), math.ceil(end / HOUR)
    if last <= first:
        return None
    clipped = last - first > MAX_HOURS
    if clipped:
        first = last - MAX_HOURS
    offsets, changes = _hour_offsets(first, last - first, filters.zone)
    return HourGrid(first, offsets, changes, filters.zone, clipped)


def rates(counts: np.ndarray, exposure: np.ndarray) -> list[Figure]:
    """Arrivals per hour of each slot (= per week), with the exact (Garwood) Poisson interval of
    the count divided by the slot's hours; computed for all slots at once."""
    counts = np.asarray(counts, dtype=float)
    low = np.where(counts > 0, stats.chi2.ppf(0.025, 2 * counts) / 2, 0.0)
    high = stats.chi2.ppf(0.975, 2 * counts + 2) / 2
    result = []
    for count, hours, lo, hi in zip(counts, exposure, low, high, strict=True):
        if hours <= 0:
            result.append(Figure(None, int(count), None, "count"))
        else:
            result.append(Figure(count / hours, int(count), (float(lo / hours), float(hi / hours)), "count"))
    return result
