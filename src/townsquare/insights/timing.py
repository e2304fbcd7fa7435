"""Timing: when customers write and how long they wait, by local hour and weekday, and the staff
needed per hour of the week (Erlang C) against the staff on shift."""

import numpy as np
from scipy import stats

from townsquare.insights import figures
from townsquare.insights.figures import Figure
from townsquare.insights.filters import Filters
from townsquare.insights.frame import FactFrame
from townsquare.insights.hourgrid import SLOTS, HourGrid, hour_grid, rates
from townsquare.insights.report import section
from townsquare.insights.staffing import staffing
from townsquare.insights.timebuckets import WEEKDAYS

HOURS = [str(hour) for hour in range(24)]

LABELS = {
    "handle_seconds": "Handle time per conversation",
    "target_seconds": "Target answer time (seconds)",
    "target_share": "Target share answered in time",
    "peak_needed": "Most staff needed in one hour",
    "shortfall_hours": "Hours of the week short of staff",
    "arrivals_per_hour": "Conversations per hour",
    "needed": "Staff needed",
    "on_shift": "Staff on shift",
    "gap": "On shift minus needed",
}

METHOD = (
    "Hours and weekdays are local time in the report's time zone, so the clock changes move no "
    "conversation to the wrong hour. Arrivals are conversations started in each weekday-hour divided "
    "by how many such hours the range has (about the number of weeks), with an exact Poisson "
    "interval. The wait is the first response time (first customer message to the first brand "
    "message after it), median per hour with an order-statistic interval, by the hour the customer "
    "wrote. Staff needed is the fewest agents that, by Erlang C, answer the target share of "
    "conversations within the target time at that hour's arrival rate and the handle time stated "
    "below; its interval comes from the arrival rate's. On shift is how many staff were online at "
    "some time in that hour, averaged over the weeks in range."
)


def arrivals_heatmap(rates: list[Figure]) -> dict:
    return {
        "name": "arrivals",
        "title": "Conversations started per week, by local weekday and hour",
        "rows": list(WEEKDAYS),
        "columns": HOURS,
        "cells": [rates[day * 24 : day * 24 + 24] for day in range(7)],
        "unit": "count",
    }


def medians(keys: np.ndarray, values: np.ndarray, size: int) -> list[Figure]:
    """Median of `values` (sorted ascending) per key 0 … size − 1, each with the order-statistic
    95% interval of figures.quantile; the interval ranks are computed for all keys at once."""
    known = ~np.isnan(values) & (keys >= 0)
    keys, values = keys[known], values[known]
    # A stable sort by key keeps each key's values in order.
    by_key = np.argsort(keys, kind="stable")
    keys, values = keys[by_key], values[by_key]
    bounds = np.searchsorted(keys, np.arange(size + 1))
    counts = np.diff(bounds)
    low = stats.binom.ppf(0.025, np.maximum(counts, 1), 0.5).astype(np.int64)
    high = stats.binom.ppf(0.975, np.maximum(counts, 1), 0.5).astype(np.int64) + 1
    result = []
    for key in range(size):
        n = int(counts[key])
        if n == 0:
            result.append(figures.empty("seconds"))
            continue
        group = values[bounds[key] : bounds[key + 1]]
        ci = None
        if low[key] >= 1 and high[key] <= n:
            ci = (float(group[low[key] - 1]), float(group[high[key] - 1]))
        middle = float(group[n // 2]) if n % 2 else float(group[n // 2 - 1] + group[n // 2]) / 2
        result.append(Figure(middle, n, ci, "seconds"))
    return result


def wait_heatmap(slots: np.ndarray, waits: np.ndarray) -> dict:
    """`waits` sorted ascending, `slots` in the same order."""
    cells = medians(slots, waits, SLOTS)
    return {
        "name": "first_response_wait",
        "title": "Median first response wait, by local weekday and hour the customer wrote",
        "rows": list(WEEKDAYS),
        "columns": HOURS,
        "cells": [cells[day * 24 : day * 24 + 24] for day in range(7)],
        "unit": "seconds",
    }


def wait_by_hour(slots: np.ndarray, waits: np.ndarray) -> dict:
    points = medians(np.where(slots >= 0, slots % 24, -1), waits, 24)
    return {
        "name": "first_response_by_hour",
        "title": "Median first response wait by local hour of day",
        "unit": "seconds",
        "points": [{"x": HOURS[hour], "y": points[hour]} for hour in range(24)],
    }


@section("timing")
def timing(frame: FactFrame, filters: Filters) -> dict:
    result = {"title": "Timing and staffing", "method": METHOD, "labels": dict(LABELS)}
    grid = hour_grid(frame, filters)
    if grid is None:
        result["notes"] = ["no conversations in this range"]
        return result
    arrivals = np.bincount(grid.slots_of(frame["started_at"]) + 1, minlength=SLOTS + 1)[1:]
    arrival_rates = rates(arrivals, grid.exposure)
    # Sorted by wait once, for the medians of both the heat map and the series.
    by_wait = np.argsort(frame["first_response_seconds"], kind="stable")
    written = grid.slots_of(frame["first_inbound_at"])[by_wait]
    waits = frame["first_response_seconds"][by_wait]
    plan = staffing(frame, filters, grid, arrival_rates)
    result.update(
        {
            "assumptions": plan.assumptions,
            "figures": plan.figures,
            "heatmaps": [arrivals_heatmap(arrival_rates), wait_heatmap(written, waits)],
            "series": [wait_by_hour(written, waits)],
            "tables": [
                {
                    "name": "staffing",
                    "title": "Staff needed and on shift, by hour of the week",
                    "dimension": "hour_of_week",
                    "columns": ["arrivals_per_hour", "needed", "on_shift", "gap"],
                    "rows": plan.rows,
                }
            ],
            "notes": _range_notes(grid) + plan.notes,
        }
    )
    return result


def _range_notes(grid: HourGrid) -> list[str]:
    notes = [f"over {grid.hours / 168:.1f} weeks ({grid.hours} hours)"]
    if grid.clipped:
        notes.append("the range was longer than three years: only its last three years are used")
    return notes
