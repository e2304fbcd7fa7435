"""The hours a report covers, each labelled with its local hour-of-week slot (DST-correct).

A week has 168 slots (weekday × hour, local time). Each UTC hour of the range falls in one slot;
how many hours fall in a slot is its exposure — about the number of weeks, one less for the hour
the clocks skip in spring and one more for the hour they repeat in autumn.
"""

import math
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from townsquare.insights.filters import Filters
from townsquare.insights.frame import FactFrame
from townsquare.insights.timebuckets import HOUR, WEEKDAYS, hour_and_weekday

SLOTS = 7 * 24
# At most three years of hours: enough for any staffing question, and bounded work.
MAX_HOURS = 3 * 8766


@dataclass
class HourGrid:
    first_hour: int  # epoch hour (epoch seconds / 3600) of the first hour in the range
    slots: np.ndarray  # slot (weekday·24 + hour) of each hour of the range
    exposure: np.ndarray  # hours of the range in each of the 168 slots
    clipped: bool = False

    @property
    def start(self) -> float:
        return self.first_hour * HOUR

    @property
    def end(self) -> float:
        return (self.first_hour + len(self.slots)) * HOUR

    @property
    def hours(self) -> int:
        return len(self.slots)

    def hour_index(self, epochs: np.ndarray) -> np.ndarray:
        """Index of each instant's hour in the range (may be outside 0 … hours − 1)."""
        return np.floor(np.asarray(epochs, dtype=float) / HOUR) - self.first_hour

    def inside(self, epochs: np.ndarray) -> np.ndarray:
        epochs = np.asarray(epochs, dtype=float)
        return ~np.isnan(epochs) & (epochs >= self.start) & (epochs < self.end)


def slot_label(slot: int) -> str:
    return f"{WEEKDAYS[slot // 24]} {slot % 24:02d}:00"


def slots_of(epochs: np.ndarray, filters: Filters) -> np.ndarray:
    """Local hour-of-week slot of each instant (-1 for none)."""
    hour, weekday = hour_and_weekday(np.asarray(epochs, dtype=float), filters.zone)
    known = ~np.isnan(hour)
    slots = np.full(hour.shape, -1, dtype=np.int64)
    slots[known] = (weekday[known] * 24 + hour[known]).astype(np.int64)
    return slots


def hour_grid(frame: FactFrame, filters: Filters, now: float | None = None) -> HourGrid | None:
    """Whole hours from the filters' start (else the first conversation) to their end (else the
    last conversation), never past now: future hours have had no arrivals yet."""
    now = time.time() if now is None else now
    started = frame["started_at"]
    known = started[~np.isnan(started)]
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
    starts = np.arange(first, last, dtype=float) * HOUR
    slots = slots_of(starts, filters)
    return HourGrid(first, slots, np.bincount(slots, minlength=SLOTS).astype(float), clipped)


def epoch(moment: datetime | None) -> float:
    return np.nan if moment is None else moment.astimezone(UTC).timestamp()
