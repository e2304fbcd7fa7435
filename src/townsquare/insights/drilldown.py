"""The conversations behind a care figure: picked with the very masks and group keys the care
section counts with, so a list is always exactly the n (or successes) of the figure it came from."""

import numpy as np
from django.db import connection

from townsquare.insights import breakdown
from townsquare.insights.care import DRILL_METRICS
from townsquare.insights.filters import FilterError, Filters
from townsquare.insights.frame import (
    FLAG_COLUMNS,
    TEXT_COLUMNS,
    TIME_COLUMNS,
    FactFrame,
    epoch_sql,
    fact_conditions,
)
from townsquare.insights.models import ConversationFact
from townsquare.insights.timebuckets import period_bounds

METRICS = tuple(DRILL_METRICS)
# Filter fields that narrow the query to one value of a dimension before the frame is loaded.
NARROWING = {
    "channel": "channel_ids",
    "queue": "queue_ids",
    "agent": "agent_ids",
    "language": "languages",
    "kind": "kinds",
    "level": "levels",
}


def conversation_ids(
    filters: Filters, metric: str | None = None, *, limit: int | None = None, offset: int = 0, **group
) -> list[int]:
    """Ids of the conversations counted in a figure, newest first. `metric` is one of METRICS
    (default "all"); `group` holds table dimensions and their row keys, e.g. channel="3",
    period="2026-11-16", queue="none". Raises FilterError for an unknown metric, dimension or key."""
    if limit is not None and limit < 0 or offset < 0:
        raise FilterError("limit and offset must not be negative")
    ids, started = _selected(filters, metric, group)
    order = np.lexsort((-ids, -np.nan_to_num(started, nan=-np.inf)))
    stop = None if limit is None else offset + limit
    return [int(cid) for cid in ids[order][offset:stop]]


def conversation_count(filters: Filters, metric: str | None = None, **group) -> int:
    """How many conversations conversation_ids would list without a limit."""
    return len(_selected(filters, metric, group)[0])


def _selected(filters: Filters, metric: str | None, group: dict) -> tuple[np.ndarray, np.ndarray]:
    """Ids and start times of the conversations picked."""
    metric = metric or "all"
    if metric not in DRILL_METRICS:
        raise FilterError(f"unknown metric {metric!r}; use one of {', '.join(METRICS)}")
    group = {dimension: str(key).strip() for dimension, key in group.items() if key not in (None, "")}
    unknown = sorted(set(group) - set(breakdown.DIMENSIONS))
    if unknown:
        raise FilterError(f"unknown dimension {unknown[0]!r}; use one of {', '.join(breakdown.DIMENSIONS)}")
    narrowed = narrow(filters, group)
    if narrowed is None:
        return np.zeros(0), np.zeros(0)
    names = {"conversation_id", "started_at", *columns_used(metric)}
    names |= {breakdown.ID_COLUMNS.get(d) or breakdown.TEXT_COLUMNS.get(d) or "started_at" for d in group}
    frame = load_columns(narrowed, sorted(names))
    mask = DRILL_METRICS[metric](frame)
    for dimension, key in group.items():
        mask &= breakdown.keys(frame, dimension) == key
    return frame["conversation_id"][mask], frame["started_at"][mask]


def columns_used(metric: str) -> set[str]:
    """The fact columns a metric's mask reads, found by running it on an empty frame."""
    probe = _Probe()
    DRILL_METRICS[metric](probe)
    return probe.used


class _Probe:
    def __init__(self):
        self.used: set[str] = set()

    def __len__(self) -> int:
        return 0

    def __getitem__(self, name: str) -> np.ndarray:
        self.used.add(name)
        return np.zeros(0, dtype=_dtype(name))


def _dtype(name: str):
    return object if name in TEXT_COLUMNS else bool if name in FLAG_COLUMNS else float


def load_columns(filters: Filters, names: list[str]) -> FactFrame:
    """Only these columns of the filtered facts: a drill-down reads a few of the frame's thirty."""
    where, params = fact_conditions(filters)
    selected = [epoch_sql(name) if name in TIME_COLUMNS else name for name in names]
    table = ConversationFact._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(selected)} FROM {table} WHERE {' AND '.join(where)}", params)
        rows = cursor.fetchall()
    transposed = list(zip(*rows, strict=True)) if rows else [()] * len(names)
    # numpy reads None as NaN in a float array.
    columns = {
        name: np.array(values, dtype=_dtype(name)) for name, values in zip(names, transposed, strict=True)
    }
    return FactFrame(columns, filters)


def narrow(filters: Filters, group: dict) -> Filters | None:
    """The filters narrowed to the group's values (so the database does most of the picking), or
    None when the group lies outside the filters."""
    changes = {}
    for dimension, key in group.items():
        if dimension == "period":
            changes.update(_period_range(filters, key))
            continue
        if key == breakdown.NONE_KEY:
            continue  # "no value" is not a filter: picked from the frame
        field = NARROWING[dimension]
        value = _id(dimension, key) if dimension in breakdown.ID_COLUMNS else key
        allowed = getattr(filters, field)
        if allowed and value not in allowed:
            return None
        changes[field] = (value,)
    if "since" in changes and "until" in changes and changes["until"] <= changes["since"]:
        return None
    return filters.with_(**changes)


def _id(dimension: str, key: str) -> int:
    if not key.isdigit():
        raise FilterError(f"{dimension} must be an id or {breakdown.NONE_KEY!r}, not {key!r}")
    return int(key)


def _period_range(filters: Filters, label: str) -> dict:
    try:
        start, end = period_bounds(label, filters.zone, filters.period)
    except ValueError:
        raise FilterError(f"{label!r} is not a {filters.period} label (e.g. 2026-11-16 or 2026-11)") from None
    since = start if filters.since is None else max(filters.since, start)
    until = end if filters.until is None else min(filters.until, end)
    return {"since": since, "until": until}
