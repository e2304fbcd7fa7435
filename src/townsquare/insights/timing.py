"""Timing: when customers write and how long they wait, by local hour and weekday, and the staff
needed per hour of the week (Erlang C) against the staff on shift."""

import numpy as np

from townsquare.insights import figures
from townsquare.insights.figures import Figure
from townsquare.insights.filters import Filters
from townsquare.insights.frame import FactFrame
from townsquare.insights.hourgrid import SLOTS, HourGrid, hour_grid, slots_of
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
    "below; its interval comes from the arrival rate's. On shift is how many staff were online in "
    "that hour of the week on average."
)


def arrivals_heatmap(frame: FactFrame, filters: Filters, grid: HourGrid) -> dict:
    started = frame["started_at"]
    counts = np.bincount(slots_of(started[grid.inside(started)], filters), minlength=SLOTS)
    cells = [[_rate(int(counts[d * 24 + h]), grid.exposure[d * 24 + h]) for h in range(24)] for d in range(7)]
    return {
        "name": "arrivals",
        "title": "Conversations started per week, by local weekday and hour",
        "rows": list(WEEKDAYS),
        "columns": HOURS,
        "cells": cells,
        "unit": "count",
    }


def _rate(count: int, exposure: float) -> Figure:
    """Arrivals per occurrence of the hour (per week), with the exact Poisson interval."""
    if exposure <= 0:
        return figures.empty("count")
    volume = figures.count(count)
    low, high = volume.ci95
    return Figure(count / exposure, count, (low / exposure, high / exposure), "count")


def _waits_by(keys: np.ndarray, waits: np.ndarray, size: int) -> list[Figure]:
    """Median wait per key 0 … size − 1 (sorted once, then split)."""
    known = ~np.isnan(waits) & (keys >= 0)
    keys, waits = keys[known], waits[known]
    order = np.argsort(keys, kind="stable")
    keys, waits = keys[order], waits[order]
    bounds = np.searchsorted(keys, np.arange(size + 1))
    return [figures.quantile(waits[bounds[k] : bounds[k + 1]]) for k in range(size)]


def wait_heatmap(frame: FactFrame, filters: Filters, grid: HourGrid) -> dict:
    written = frame["first_inbound_at"]
    inside = grid.inside(written)
    slots = slots_of(written[inside], filters)
    medians = _waits_by(slots, frame["first_response_seconds"][inside], SLOTS)
    return {
        "name": "first_response_wait",
        "title": "Median first response wait, by local weekday and hour the customer wrote",
        "rows": list(WEEKDAYS),
        "columns": HOURS,
        "cells": [medians[d * 24 : d * 24 + 24] for d in range(7)],
        "unit": "seconds",
    }


def wait_by_hour(frame: FactFrame, filters: Filters, grid: HourGrid) -> dict:
    written = frame["first_inbound_at"]
    inside = grid.inside(written)
    hours = slots_of(written[inside], filters)
    hours = np.where(hours >= 0, hours % 24, -1)
    medians = _waits_by(hours, frame["first_response_seconds"][inside], 24)
    return {
        "name": "first_response_by_hour",
        "title": "Median first response wait by local hour of day",
        "unit": "seconds",
        "points": [{"x": HOURS[hour], "y": medians[hour]} for hour in range(24)],
    }


@section("timing")
def timing(frame: FactFrame, filters: Filters) -> dict:
    result = {"title": "Timing and staffing", "method": METHOD, "labels": dict(LABELS)}
    grid = hour_grid(frame, filters)
    if grid is None:
        result["notes"] = ["no conversations in this range"]
        return result
    plan = staffing(frame, filters, grid)
    result.update(
        {
            "assumptions": plan.assumptions,
            "figures": plan.figures,
            "heatmaps": [arrivals_heatmap(frame, filters, grid), wait_heatmap(frame, filters, grid)],
            "series": [wait_by_hour(frame, filters, grid)],
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
