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
from django.db.models import Q
from scipy import stats

from townsquare.insights import erlang
from townsquare.insights.figures import MIN_N, Figure
from townsquare.insights.filters import Filters
from townsquare.insights.frame import FactFrame
from townsquare.insights.hourgrid import SLOTS, HourGrid, slot_label, slots_of
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
    """Start and end (epoch seconds) of the shifts overlapping the range; an open shift ends now."""
    start = datetime.fromtimestamp(grid.start, UTC)
    end = datetime.fromtimestamp(grid.end, UTC)
    shifts = ShiftFact.objects.filter(started_at__lt=end).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gt=start)
    )
    if filters.agent_ids:
        shifts = shifts.filter(user_id__in=filters.agent_ids)
    rows = list(shifts.values_list("started_at", "ended_at"))
    starts = np.array([s.timestamp() for s, _ in rows], dtype=float)
    ends = np.array([e.timestamp() if e is not None else max(now, s.timestamp()) for s, e in rows])
    return starts, ends.astype(float)


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
    hour_starts = (grid.first_hour + np.arange(grid.hours)) * HOUR
    staff_seconds = online.seconds_before(hour_starts + HOUR) - online.seconds_before(hour_starts)
    busy = waiting_all_hour(grid, frame["first_inbound_at"], frame["first_response_at"])
    busy &= staff_seconds > 0
    response = frame["first_response_at"]
    index = grid.hour_index(response[grid.inside(response)]).astype(np.int64)
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


def _needed(rate: float, handle: float, target: Target) -> int:
    return erlang.agents_needed(rate, handle, target.share, target.seconds)


def staffing(frame: FactFrame, filters: Filters, grid: HourGrid, now: float | None = None) -> Staffing:
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

    started = frame["started_at"]
    arrivals = np.bincount(slots_of(started[grid.inside(started)], filters), minlength=SLOTS)
    hour_starts = (grid.first_hour + np.arange(grid.hours)) * HOUR
    on_shift_hours = online.overlapping(hour_starts, hour_starts + HOUR)
    exposure = grid.exposure
    on_shift = np.divide(
        np.bincount(grid.slots, weights=on_shift_hours, minlength=SLOTS),
        exposure,
        out=np.zeros(SLOTS),
        where=exposure > 0,
    )
    shortfalls = []
    peak = None
    for slot in range(SLOTS):
        if exposure[slot] == 0 or (arrivals[slot] == 0 and on_shift[slot] == 0):
            continue
        count = int(arrivals[slot])
        rate = count / exposure[slot]
        low = 0.0 if count == 0 else stats.chi2.ppf(0.025, 2 * count) / 2 / exposure[slot]
        high = stats.chi2.ppf(0.975, 2 * count + 2) / 2 / exposure[slot]
        needed = _needed(rate, handle.seconds, target)
        needed_figure = Figure(
            float(needed),
            count,
            (float(_needed(low, handle.seconds, target)), float(_needed(high, handle.seconds, target))),
            "count",
        )
        gap = round(float(on_shift[slot]) - needed, 3)
        result.rows.append(
            {
                "key": str(slot),
                "label": slot_label(slot),
                "arrivals_per_hour": Figure(rate, count, (low, high), "count"),
                "needed": needed_figure,
                "on_shift": round(float(on_shift[slot]), 3),
                "gap": gap,
            }
        )
        if peak is None or needed > peak.value:
            peak = needed_figure
        if gap < 0:
            shortfalls.append((gap, slot, needed, on_shift[slot]))

    result.figures = {
        "handle_seconds": handle.figure,
        "target_seconds": target.seconds,
        "target_share": target.share,
        "peak_needed": peak if peak is not None else Figure(None, 0, None, "count"),
        "shortfall_hours": len(shortfalls),
    }
    result.assumptions = _assumptions(handle, target)
    if len(starts) == 0:
        result.notes.append(
            "nobody was on shift in this range (no presence changes were recorded: imported history "
            "has none), so every hour with arrivals shows a shortfall"
        )
    elif shortfalls:
        worst = sorted(shortfalls)[:NOTED_SHORTFALLS]
        named = "; ".join(f"{slot_label(s)} needs {n}, on shift {o:.1f}" for _, s, n, o in worst)
        more = f" (and {len(shortfalls) - len(worst)} more)" if len(shortfalls) > len(worst) else ""
        result.notes.append(f"short of staff in {len(shortfalls)} hours of the week: {named}{more}")
    return result


def _assumptions(handle: HandleTime, target: Target) -> list[str]:
    return [
        f"target: {target.share:.0%} of conversations answered within {target.seconds:g} s "
        "(TOWNSQUARE_STAFFING_TARGET_SHARE, TOWNSQUARE_STAFFING_TARGET_SECONDS)",
        f"handle time per conversation: {handle.explained}",
        "Erlang C assumes arrivals at random (Poisson) at a steady rate within the hour, exponential "
        "handle times, one conversation per agent at a time, and nobody giving up while waiting",
        "on shift: the mean number of online stretches (presence set to online until away or offline) "
        "that overlap each hour of the week, over the weeks in range; someone online for part of the "
        "hour counts as on shift",
    ]
