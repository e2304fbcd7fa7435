"""Local time of many instants at once: hour, weekday and period, with daylight saving time.

Offsets are looked up once per UTC hour that occurs (a year is 8,760 lookups, not one per
conversation); an hour in which the zone's offset changes is resolved instant by instant.
"""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import numpy as np

HOUR = 3600.0
DAY = 86400.0
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _offset_at(epoch: float, zone: ZoneInfo) -> float:
    return datetime.fromtimestamp(epoch, UTC).astimezone(zone).utcoffset().total_seconds()


def utc_offsets(epochs: np.ndarray, zone: ZoneInfo) -> np.ndarray:
    """The zone's UTC offset in seconds at each instant (NaN stays NaN)."""
    epochs = np.asarray(epochs, dtype=float)
    offsets = np.full(epochs.shape, np.nan)
    known = ~np.isnan(epochs)
    if not known.any():
        return offsets
    hours = np.floor(epochs[known] / HOUR)
    unique, inverse = np.unique(hours, return_inverse=True)
    at_start = np.array([_offset_at(h * HOUR, zone) for h in unique])
    at_end = np.array([_offset_at(h * HOUR + HOUR - 1e-3, zone) for h in unique])
    result = at_start[inverse]
    changing = (at_start != at_end)[inverse]
    if changing.any():
        values = epochs[known]
        result[changing] = [_offset_at(v, zone) for v in values[changing]]
    offsets[known] = result
    return offsets


def local_seconds(epochs: np.ndarray, zone: ZoneInfo) -> np.ndarray:
    """Seconds since 1970-01-01 00:00 *local* wall time (for hour/day arithmetic)."""
    return np.asarray(epochs, dtype=float) + utc_offsets(epochs, zone)


def hour_and_weekday(epochs: np.ndarray, zone: ZoneInfo) -> tuple[np.ndarray, np.ndarray]:
    """Local hour (0–23) and weekday (0 Monday … 6 Sunday) as float arrays (NaN for none)."""
    local = local_seconds(epochs, zone)
    hour = np.floor(local / HOUR) % 24
    weekday = (np.floor(local / DAY) + 3) % 7  # 1970-01-01 was a Thursday
    return hour, weekday


def period_labels(epochs: np.ndarray, zone: ZoneInfo, period: str) -> np.ndarray:
    """The local period each instant falls in, as a sortable label: day "2026-03-29", week (its
    Monday) "2026-03-23", month "2026-03". Object array; "" for none."""
    local = local_seconds(epochs, zone)
    labels = np.full(local.shape, "", dtype=object)
    known = ~np.isnan(local)
    if not known.any():
        return labels
    days = np.floor(local[known] / DAY).astype(np.int64)
    if period == "week":
        days = days - (days + 3) % 7
    unique, inverse = np.unique(days, return_inverse=True)
    epoch_day = date(1970, 1, 1).toordinal()
    if period == "month":
        names = np.array(
            [date.fromordinal(epoch_day + int(d)).strftime("%Y-%m") for d in unique], dtype=object
        )
    else:
        names = np.array([date.fromordinal(epoch_day + int(d)).isoformat() for d in unique], dtype=object)
    labels[known] = names[inverse]
    return labels


def period_bounds(label: str, zone: ZoneInfo, period: str) -> tuple[datetime, datetime]:
    """The aware start and end instants of a period label (DST-correct: a day may be 23 or 25 h)."""
    if period == "month":
        first = date.fromisoformat(label + "-01")
        following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    else:
        first = date.fromisoformat(label)
        following = date.fromordinal(first.toordinal() + (7 if period == "week" else 1))
    return (
        datetime(first.year, first.month, first.day, tzinfo=zone),
        datetime(following.year, following.month, following.day, tzinfo=zone),
    )
