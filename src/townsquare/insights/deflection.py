"""Contacts deflected by community answers: readers of solved topics who did not write to us.

A reader is a distinct viewer of a topic that had an accepted answer when they read it. Readers
linked to a care customer can be followed: did that customer open a conversation (any channel)
within WINDOW after a view? Anonymous readers (and members not linked to a customer) cannot, so the
share observed among followable readers is applied to all readers; the configured deflection
share then says how many of those readers would otherwise have written to the brand at all.
"""

from dataclasses import dataclass
from datetime import timedelta

import numpy as np
from django.db import connection
from django.utils import timezone

from townsquare.insights import figures
from townsquare.insights.figures import Figure
from townsquare.insights.filters import Filters
from townsquare.insights.frame import epoch_sql
from townsquare.insights.models import TopicViewFact
from townsquare.insights.view_folds import CONTACT_TOPIC

WINDOW_DAYS = 7
WINDOW = WINDOW_DAYS * 86400.0


@dataclass(frozen=True)
class Deflection:
    readers: int  # distinct readers of solved topics in the period
    followable: int  # of them, linked to a customer and read at least WINDOW ago
    wrote: int  # of the followable, opened a conversation within WINDOW after a view
    pending: int  # linked to a customer but read less than WINDOW ago: not counted yet
    not_writing: Figure  # share of followable readers who did not write (Clopper–Pearson)
    deflected: Figure  # readers × that share × deflection_share, interval from the share's

    def deflected_per(self, scale: float, deflection_share: float) -> Figure:
        """Deflections scaled to another length of time: the readers' count is Poisson, so its
        exact interval and the share's interval are combined at their ends (conservative)."""
        if self.not_writing.value is None:
            return figures.empty("count")
        readers = figures.count(self.readers)
        low_share, high_share = self.not_writing.ci95
        factor = scale * deflection_share
        return Figure(
            self.readers * self.not_writing.value * factor,
            self.followable,
            (readers.ci95[0] * low_share * factor, readers.ci95[1] * high_share * factor),
            "count",
        )


def _between(since, until) -> tuple[str, list]:
    # On SQLite `+column` keeps the planner off the indexes: a scan of this narrow table is several
    # times faster than an index walk that looks up most of its rows one by one.
    column = "+viewed_at" if connection.vendor == "sqlite" else "viewed_at"
    conditions, params = [], []
    if since is not None:
        conditions.append(f"{column} >= %s")
        params.append(connection.ops.adapt_datetimefield_value(since))
    if until is not None:
        conditions.append(f"{column} < %s")
        params.append(connection.ops.adapt_datetimefield_value(until))
    return " AND ".join(conditions) or "1 = 1", params


def load_views(filters: Filters) -> tuple[dict, dict]:
    """One query: the period's solved-topic views, and contacts of their customers up to WINDOW
    after the period (without their keys, which are not needed). Returns (views, contacts)."""
    table = TopicViewFact._meta.db_table
    in_period, params = _between(filters.since, filters.until)
    later = filters.until + timedelta(days=WINDOW_DAYS) if filters.until is not None else None
    in_reach, reach_params = _between(filters.since, later)
    topic = "+topic_id" if connection.vendor == "sqlite" else "topic_id"
    at = epoch_sql("viewed_at")
    # The readers' customers as a joined set, not `IN (subquery)`: PostgreSQL without fresh
    # statistics ran that as a per-row subplan (minutes at 200,000 rows); a join is hashed.
    sql = (
        f"SELECT 1, viewer, customer_id, {at} FROM {table} WHERE {topic} <> {CONTACT_TOPIC} AND {in_period} "
        f"UNION ALL SELECT 0, NULL, {table}.customer_id, {at} FROM {table} "
        f"JOIN (SELECT DISTINCT customer_id AS reader FROM {table} WHERE {topic} <> {CONTACT_TOPIC} "
        f"AND customer_id IS NOT NULL AND {in_period}) readers ON readers.reader = {table}.customer_id "
        f"WHERE {topic.replace('topic_id', table + '.topic_id')} = {CONTACT_TOPIC} AND {in_reach}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *params, *reach_params])
        rows = cursor.fetchall()
    is_view = np.array([r[0] for r in rows], dtype=bool)
    viewer = np.array([r[1] for r in rows], dtype=object)
    customer = np.array([-1 if r[2] is None else r[2] for r in rows], dtype=np.int64)
    seconds = np.array([r[3] for r in rows], dtype=float)
    views = {"viewer": viewer[is_view], "customer": customer[is_view], "at": seconds[is_view]}
    contacts = {"customer": customer[~is_view], "at": seconds[~is_view]}
    return views, contacts


def followed_by_contact(views: dict, contacts: dict) -> np.ndarray:
    """Per view: did its customer open a conversation in [view, view + WINDOW)? Vectorised: each
    (customer, time) becomes one integer key, customers spaced further apart than any two times,
    so one binary search over the sorted contact keys finds the first contact at or after a view."""
    followed = np.zeros(len(views["at"]), dtype=bool)
    linked = views["customer"] >= 0
    if not linked.any() or len(contacts["at"]) == 0:
        return followed
    v_at = np.floor(views["at"][linked]).astype(np.int64)
    c_at = np.floor(contacts["at"]).astype(np.int64)
    first = min(v_at.min(), c_at.min())
    spacing = max(v_at.max(), c_at.max()) - first + int(WINDOW) + 1
    _, index = np.unique(
        np.concatenate([views["customer"][linked], contacts["customer"]]), return_inverse=True
    )
    v_key = index[: len(v_at)].astype(np.int64) * spacing + (v_at - first)
    c_key = np.sort(index[len(v_at) :].astype(np.int64) * spacing + (c_at - first))
    position = np.searchsorted(c_key, v_key, side="left")
    found = position < len(c_key)
    hit = np.zeros(len(v_key), dtype=bool)
    hit[found] = c_key[position[found]] < v_key[found] + int(WINDOW)
    followed[linked] = hit
    return followed


def deflection(filters: Filters, deflection_share: float, now: float | None = None) -> Deflection:
    views, contacts = load_views(filters)
    now = timezone.now().timestamp() if now is None else now
    viewers, inverse = np.unique(views["viewer"].astype(str), return_inverse=True)
    readers = len(viewers)
    followed = followed_by_contact(views, contacts)
    linked = views["customer"] >= 0
    # Per reader: linked to a customer, wrote after any view, and when they last read.
    reader_linked = np.bincount(inverse, weights=linked, minlength=readers) > 0
    reader_wrote = np.bincount(inverse, weights=followed & linked, minlength=readers) > 0
    last_view = np.full(readers, -np.inf)
    np.maximum.at(last_view, inverse, views["at"])
    matured = last_view + WINDOW <= now
    # A reader who already wrote is known, whenever they read; one who did not may still write.
    known = reader_linked & (matured | reader_wrote)
    followable = int(known.sum())
    wrote = int((known & reader_wrote).sum())
    pending = int((reader_linked & ~known).sum())
    share = figures.proportion(followable - wrote, followable)
    if share.value is None:
        deflected = figures.empty("count")
    else:
        low, high = share.ci95
        deflected = Figure(
            readers * share.value * deflection_share,
            followable,
            (readers * low * deflection_share, readers * high * deflection_share),
            "count",
        )
    return Deflection(readers, followable, wrote, pending, share, deflected)
