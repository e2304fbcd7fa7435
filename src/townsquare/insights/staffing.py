"""Staff needed per hour of the week (Erlang C) against the staff actually on shift.

Arrival rate per slot: conversations started in that local weekday-hour divided by how many such
hours the range has. Handle time: TOWNSQUARE_HANDLE_SECONDS when set; otherwise measured as
staff time online per first response in the hours when someone was waiting the whole hour (then
everyone online was busy, so their time divided by what they answered is the time one answer
took); otherwise a stated fallback.
"""

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
from django.conf import settings
from django.db import connection
from scipy import stats

from townsquare.insights import erlang
from townsquare.insights.figures import MIN_N, Figure
from townsquare.insights.filters import Filters
from townsquare.insights.frame import FactFrame, epoch_sql
from townsquare.insights.hourgrid import SLOTS, HourGrid, exact, slot_label
from townsquare.insights.models import ShiftFact
from townsquare.insights.timebuckets import HOUR

# Used when no handle time is configured and none can be measured (stated in the report).
FALLBACK_HANDLE_SECONDS = 300.0
# Shortfall hours named in the notes, worst first.
NOTED_SHORTFALLS = 12


@dataclass
class Target:
    seconds: float
    share: float
    configured_handle: float  # 0: measure it

    @classmethod
    def from_settings(cls) -> "Target":
        return cls(
            seconds=float(getattr(settings, "STAFFING_TARGET_SECONDS", 180)),
            share=float(getattr(settings, "STAFFING_TARGET_SHARE", 0.8)),
            configured_handle=float(getattr(settings, "STAFFING_HANDLE_SECONDS", 0) or 0),
        )

    def problem(self) -> str | None:
        if not 0 < self.share < 1:
            return "TOWNSQUARE_STAFFING_TARGET_SHARE must be between 0 and 1 (exclusive)"
        if self.seconds < 0:
            return "TOWNSQUARE_STAFFING_TARGET_SECONDS must not be negative"
        if self.configured_handle < 0:
            return "TOWNSQUARE_HANDLE_SECONDS must not be negative"
        return None


@dataclass
class HandleTime:
    seconds: float
    source: str  # configured, measured or fallback
    figure: Figure | float
    explained: str


@dataclass
class Staffing:
    figures: dict = field(default_factory=dict)
    rows: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    assumptions: list = field(default_factory=list)


def load_shifts(grid: HourGrid, filters: Filters, now: float) -> tuple[np.ndarray, np.ndarray]:
    """Start and end (epoch seconds) of the shifts overlapping the range; an open shift ends now.
    One query, with epoch seconds computed by the database (no object per shift)."""
    table = ShiftFact._meta.db_table
    where = ["started_at < %s", "(ended_at IS NULL OR ended_at > %s)"]
    params = [
        connection.ops.adapt_datetimefield_value(datetime.fromtimestamp(grid.end, UTC)),
        connection.ops.adapt_datetimefield_value(datetime.fromtimestamp(grid.start, UTC)),
    ]
    if filters.agent_ids:
        where.append(f"user_id IN ({', '.join(['%s'] * len(filters.agent_ids))})")
        params.extend(filters.agent_ids)
    sql = (
        f"SELECT {epoch_sql('started_at')}, {epoch_sql('ended_at')} FROM {table} WHERE {' AND '.join(where)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    starts = np.array([start for start, _ in rows], dtype=float)
    ends = np.array([max(now, start) if end is None else end for start, end in rows], dtype=float)
    return exact(starts), exact(ends)


class Online:
    """Who was online when, from shift intervals, answered for many hours at once."""

    def __init__(self, starts: np.ndarray, ends: np.ndarray) -> None:
        self.starts = np.sort(starts)
        self.ends = np.sort(ends)
        self.start_sums = np.concatenate([[0.0], np.cumsum(self.starts)])
        self.end_sums = np.concatenate([[0.0], np.cumsum(self.ends)])

    def overlapping(self, low: np.ndarray, high: np.ndarray) -> np.ndarray:
        """Shifts overlapping each [low, high): started before high and not ended by low."""
        started = np.searchsorted(self.starts, high, side="left")
        ended = np.searchsorted(self.ends, low, side="right")
        return (started - ended).astype(float)

    def seconds_before(self, moments: np.ndarray) -> np.ndarray:
        """Staff-seconds online from the beginning of time to each moment."""
        k_start = np.searchsorted(self.starts, moments, side="right")
        k_end = np.searchsorted(self.ends, moments, side="right")
        started = k_start * moments - self.start_sums[k_start]
        ended = k_end * moments - self.end_sums[k_end]
        return started - ended


def waiting_all_hour(grid: HourGrid, inbound: np.ndarray, response: np.ndarray) -> np.ndarray:
    """Per hour of the range: whether some conversation waited for its first answer all hour."""
    inbound, response = exact(inbound), exact(response)
    answered = ~np.isnan(inbound) & ~np.isnan(response)
    first = np.ceil(inbound[answered] / HOUR) - grid.first_hour
    last = np.floor(response[answered] / HOUR) - 1 - grid.first_hour
    first = np.clip(first, 0, grid.hours)
    last = np.clip(last, -1, grid.hours - 1)
    spans = last >= first
    edges = np.bincount(first[spans].astype(np.int64), minlength=grid.hours + 1)
    edges = edges - np.bincount((last[spans] + 1).astype(np.int64), minlength=grid.hours + 1)
    return np.cumsum(edges)[: grid.hours] > 0


def handle_time(frame: FactFrame, grid: HourGrid, online: Online, target: Target) -> HandleTime:
    if target.configured_handle > 0:
        seconds = target.configured_handle
        return HandleTime(seconds, "configured", seconds, f"{seconds:g} s, set by TOWNSQUARE_HANDLE_SECONDS")
    hour_starts = grid.hour_starts
    staff_seconds = online.seconds_before(hour_starts + HOUR) - online.seconds_before(hour_starts)
    busy = waiting_all_hour(grid, frame["first_inbound_at"], frame["first_response_at"])
    busy &= staff_seconds > 0
    response = frame["first_response_at"]
    index = grid.hour_index(response[grid.inside(response)])
    answers = int(busy[index].sum()) if len(index) else 0
    spent = float(staff_seconds[busy].sum())
    if answers >= MIN_N:
        low = stats.chi2.ppf(0.025, 2 * answers) / 2
        high = stats.chi2.ppf(0.975, 2 * answers + 2) / 2
        figure = Figure(spent / answers, answers, (spent / high, spent / low), "seconds")
        explained = (
            f"measured: {spent / 3600:.1f} staff-hours online in {int(busy.sum())} hours when a customer "
            f"waited all hour, over the {answers} first responses sent in them"
        )
        return HandleTime(spent / answers, "measured", figure, explained)
    return HandleTime(
        FALLBACK_HANDLE_SECONDS,
        "fallback",
        FALLBACK_HANDLE_SECONDS,
        f"assumed {FALLBACK_HANDLE_SECONDS:g} s: too few answers ({answers}) in hours when staff were online "
        "and a customer waited all hour to measure it; set TOWNSQUARE_HANDLE_SECONDS",
    )


def staffing(
    frame: FactFrame, filters: Filters, grid: HourGrid, arrivals: list[Figure], now: float | None = None
) -> Staffing:
    """`arrivals`: conversations per hour for each of the 168 slots, with their intervals."""
    now = time.time() if now is None else now
    result = Staffing()
    target = Target.from_settings()
    problem = target.problem()
    if problem:
        result.notes.append(f"staffing not computed: {problem}")
        return result
    starts, ends = load_shifts(grid, filters, now)
    online = Online(starts, ends)
    handle = handle_time(frame, grid, online, target)
    hour_starts = grid.hour_starts
    on_shift = np.divide(
        np.bincount(grid.slots, weights=online.overlapping(hour_starts, hour_starts + HOUR), minlength=SLOTS),
        grid.exposure,
        out=np.zeros(SLOTS),
        where=grid.exposure > 0,
    )
    known: dict[float, int] = {}

    def needed(rate: float) -> int:
        if rate not in known:
            known[rate] = erlang.agents_needed(rate, handle.seconds, target.share, target.seconds)
        return known[rate]

    try:
        result.rows, shortfalls, peak = _rows(arrivals, on_shift, grid, needed)
    except ValueError as error:  # an absurd configured handle time: say so instead of failing
        result.notes.append(f"staffing not computed: {error}")
        return result
    result.figures = {
        "handle_seconds": handle.figure,
        "target_seconds": target.seconds,
        "target_share": target.share,
        "peak_needed": peak if peak is not None else Figure(None, 0, None, "count"),
        "shortfall_hours": len(shortfalls),
    }
    result.assumptions = _assumptions(handle, target, filters)
    result.notes = _shortfall_notes(shortfalls, bool(len(starts)))
    return result


def _rows(arrivals: list[Figure], on_shift: np.ndarray, grid: HourGrid, needed) -> tuple[list, list, Figure]:
    """Table rows for the hours of the week with arrivals or staff, the shortfalls, the peak."""
    rows, shortfalls, peak = [], [], None
    for slot, rate in enumerate(arrivals):
        if grid.exposure[slot] == 0 or (rate.n == 0 and on_shift[slot] == 0):
            continue
        low, high = rate.ci95
        staff = Figure(float(needed(rate.value)), rate.n, (float(needed(low)), float(needed(high))), "count")
        gap = round(float(on_shift[slot]) - staff.value, 3)
        rows.append(
            {
                "key": str(slot),
                "label": slot_label(slot),
                "arrivals_per_hour": rate,
                "needed": staff,
                "on_shift": round(float(on_shift[slot]), 3),
                "gap": gap,
            }
        )
        if peak is None or staff.value > peak.value:
            peak = staff
        if gap < 0:
            shortfalls.append((gap, slot, int(staff.value), on_shift[slot]))
    return rows, shortfalls, peak


def _shortfall_notes(shortfalls: list, anyone_on_shift: bool) -> list[str]:
    if not anyone_on_shift:
        return [
            "nobody was on shift in this range (no presence changes were recorded: imported history "
            "has none), so every hour with arrivals shows a shortfall"
        ]
    if not shortfalls:
        return []
    worst = sorted(shortfalls)[:NOTED_SHORTFALLS]
    named = "; ".join(f"{slot_label(s)} needs {n}, on shift {o:.1f}" for _, s, n, o in worst)
    more = f" (and {len(shortfalls) - len(worst)} more)" if len(shortfalls) > len(worst) else ""
    return [f"short of staff in {len(shortfalls)} hours of the week: {named}{more}"]


def _assumptions(handle: HandleTime, target: Target, filters: Filters) -> list[str]:
    narrowed = (
        filters.channel_ids or filters.queue_ids or filters.languages or filters.kinds or filters.levels
    )
    return [
        f"target: {target.share:.0%} of conversations answered within {target.seconds:g} s "
        "(TOWNSQUARE_STAFFING_TARGET_SHARE, TOWNSQUARE_STAFFING_TARGET_SECONDS)",
        f"handle time per conversation: {handle.explained}",
        "Erlang C assumes arrivals at random (Poisson) at a steady rate within the hour, exponential "
        "handle times, one conversation per agent at a time, and nobody giving up while waiting",
        "on shift: the mean number of online stretches (presence set to online until away or offline) "
        "that overlap each hour of the week, over the weeks in range; someone online for part of the "
        "hour counts as on shift",
    ] + (
        [
            "staff on shift are everyone online (or the agents filtered on): presence is not per channel, "
            "queue, language or kind, so with those filters on shift is an upper bound"
        ]
        if narrowed
        else []
    )
