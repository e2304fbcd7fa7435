"""A warm copy of every conversation fact as numpy columns, patched with what changed.

Loading 200,000 facts from the database costs most of a report (about 1.8 s), while a refresh
changes a few hundred. So each process keeps the whole projection's columns and, per report,
reads only the facts stamped after the fold count it last saw (the fold stamps every fact it
changes, see FoldBatch.stamp, even when events arrive out of id order); filters are then applied
in numpy.
Writers that change facts without an event (rebuild, closing or recomputing a period) bump the
generation, which makes every process load afresh.
"""

import threading
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from django.conf import settings
from django.db import connection
from django.db.models import F

from townsquare.insights.filters import Filters
from townsquare.insights.frame import FactFrame, fact_conditions, load_columns, load_frame
from townsquare.insights.models import Checkpoint

GENERATION = "frame-generation"
# Facts left out of every report, kept as flags so a patch can drop a fact that became one.
DROP_FLAGS = {"merged": "merged_into IS NOT NULL", "held": "held", "not_for_us": "not_for_us"}


@dataclass
class _Warm:
    database: str
    generation: int
    # Facts stamped above this (ConversationFact.last_event_id, see FoldBatch.stamp) are read again.
    seen: int
    columns: dict[str, np.ndarray]


_warm: dict[str, _Warm] = {}
_lock = threading.Lock()


def enabled() -> bool:
    return getattr(settings, "TOWNSQUARE_INSIGHTS_FRAME_CACHE", True)


def bump_generation() -> None:
    """Every process reloads its facts: call after changing facts other than by folding events."""
    Checkpoint.objects.get_or_create(name=GENERATION)
    Checkpoint.objects.filter(name=GENERATION).update(last_event_id=F("last_event_id") + 1)


def forget() -> None:
    with _lock:
        _warm.clear()


def frame_for(filters: Filters) -> FactFrame:
    """The facts `filters` cover, from the warm copy (loaded on first use)."""
    if not enabled():
        return load_frame(filters)
    with _lock:
        columns = _current_columns()
        return FactFrame(_narrowed(columns, filters), filters)


def _state() -> tuple[int, int]:
    """(generation, the fold's stamp now: facts changed from now on get a higher one)."""
    rows = {
        name: (last, folded)
        for name, last, folded in Checkpoint.objects.filter(name__in=[GENERATION, "main"]).values_list(
            "name", "last_event_id", "events_folded"
        )
    }
    return rows.get(GENERATION, (0, 0))[0], rows.get("main", (0, 0))[1]


def _current_columns() -> dict[str, np.ndarray]:
    database = connection.settings_dict["NAME"]
    generation, seen = _state()
    warm = _warm.get(connection.alias)
    if warm is None or warm.generation != generation or warm.database != database:
        where, params = fact_conditions(Filters(include_not_for_us=True))
        where = [w for w in where if w not in ("merged_into IS NULL", "NOT held")] or ["1 = 1"]
        columns = _keep(load_columns(where, params, DROP_FLAGS))
        _warm[connection.alias] = _Warm(database, generation, seen, columns)
        return columns
    changed = load_columns(["last_event_id > %s"], [warm.seen], DROP_FLAGS)
    if len(changed["conversation_id"]):
        stale = np.isin(warm.columns["conversation_id"], changed["conversation_id"])
        fresh = _keep(changed)
        warm.columns = {
            name: np.concatenate([column[~stale], fresh[name]]) for name, column in warm.columns.items()
        }
    warm.seen = seen
    return warm.columns


def _keep(columns: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Without merged and held facts (not_for_us stays: reports may include it)."""
    dropped = columns["merged"] | columns["held"]
    return {name: column[~dropped] for name, column in columns.items()}


def _narrowed(columns: dict[str, np.ndarray], filters: Filters) -> dict[str, np.ndarray]:
    mask = np.ones(len(columns["conversation_id"]), dtype=bool)
    if not filters.include_not_for_us:
        mask &= ~columns["not_for_us"]
    started = columns["started_at"]
    if filters.since is not None:
        mask &= started >= _epoch(filters.since)
    if filters.until is not None:
        mask &= started < _epoch(filters.until)
    for name, values in (
        ("channel_id", filters.channel_ids),
        ("queue_id", filters.queue_ids),
        ("assignee_id", filters.agent_ids),
    ):
        if values:
            mask &= np.isin(columns[name], np.array(values, dtype=float))
    for name, values in (
        ("language", filters.languages),
        ("kind", filters.kinds),
        ("handler_level", filters.levels),
    ):
        if values:
            mask &= np.isin(columns[name], np.array(values, dtype=object))
    if mask.all():
        return dict(columns)
    return {name: column[mask] for name, column in columns.items()}


def _epoch(moment: datetime) -> float:
    # The database rounds stored times to the microsecond; so does this.
    return round(moment.timestamp(), 6)
