"""The facts a report covers, loaded once as columns (numpy arrays) for the sections to share.

One SQL query reads the filtered conversation facts; times come back as epoch seconds computed
by the database, so 200,000 rows load without building a datetime per row.
"""

from dataclasses import dataclass

import numpy as np
from django.db import connection

from townsquare.insights.filters import Filters
from townsquare.insights.models import ConversationFact
from townsquare.insights.wom_columns import packed_columns

TIME_COLUMNS = ("started_at", "first_inbound_at", "first_response_at", "resolved_at")
NUMBER_COLUMNS = (
    "first_response_seconds",
    "first_response_business_seconds",
    "resolution_seconds",
    "resolution_business_seconds",
    "reopens",
    "csat_score",
    "inbound_count",
    "outbound_count",
    "escalations",
)
FLAG_COLUMNS = ("resolution_inferred", "peer_resolved", "frozen")
ID_COLUMNS = ("conversation_id", "channel_id", "queue_id", "assignee_id")
TEXT_COLUMNS = (
    "channel_kind",
    "handler_level",
    "language",
    "kind",
    "sentiment",
    "priority",
    "status",
    "sla_first_response",
    "sla_resolution",
)


@dataclass
class FactFrame:
    """Column name -> numpy array, all of the same length. Times are float epoch seconds (NaN:
    none), ids are float (NaN: none), text columns are object arrays."""

    columns: dict[str, np.ndarray]
    filters: Filters

    def __len__(self) -> int:
        return len(self.columns["conversation_id"])

    def __getitem__(self, name: str) -> np.ndarray:
        return self.columns[name]

    def where(self, mask: np.ndarray) -> "FactFrame":
        return FactFrame({name: column[mask] for name, column in self.columns.items()}, self.filters)


def epoch_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"EXTRACT(EPOCH FROM {column})::float8"
    return f"(julianday({column}) - 2440587.5) * 86400.0"


def load_frame(filters: Filters) -> FactFrame:
    """The facts `filters` cover (see frame_cache for the copy a process keeps warm)."""
    where, params = fact_conditions(filters)
    return FactFrame(load_columns(where, params), filters)


def load_columns(
    where: list[str], params: list, flags: dict[str, str] | None = None
) -> dict[str, np.ndarray]:
    """Python objects are what a 200,000-row load costs, so there are as few as can be: the flags
    come packed as the bits of one number, and numbers and texts become numpy arrays in one
    conversion each (a column at a time through Python lists took as long as the query).
    `flags` maps more boolean columns to their SQL expressions."""
    flag_sql = {**{c: c for c in FLAG_COLUMNS}, **(flags or {})}
    bits_sql = " + ".join(
        f"(CASE WHEN {sql} THEN {1 << i} ELSE 0 END)" for i, sql in enumerate(flag_sql.values())
    )
    # Word of mouth's summary, packed by the database into three numbers (wom_columns.py).
    packed = packed_columns(epoch_sql)
    selected = [
        *ID_COLUMNS,
        *(epoch_sql(c) for c in TIME_COLUMNS),
        *NUMBER_COLUMNS,
        *packed.values(),
        bits_sql,
        *TEXT_COLUMNS,
    ]
    table = ConversationFact._meta.db_table
    sql = f"SELECT {', '.join(selected)} FROM {table} WHERE {' AND '.join(where)}"
    rows = fetch_rows(sql, params)
    numeric = [*ID_COLUMNS, *TIME_COLUMNS, *NUMBER_COLUMNS, *packed]
    width = len(numeric) + 1
    numbers = np.array([row[:width] for row in rows], dtype=float).reshape(-1, width)  # None: NaN
    texts = np.array([row[width:] for row in rows], dtype=object).reshape(-1, len(TEXT_COLUMNS))
    columns = {name: numbers[:, i].copy() for i, name in enumerate(numeric)}
    bits = numbers[:, -1].astype(np.int64)
    for i, name in enumerate(flag_sql):
        columns[name] = (bits & (1 << i)) != 0
    columns.update({name: texts[:, i].copy() for i, name in enumerate(TEXT_COLUMNS)})
    return columns


def fetch_rows(sql: str, params: list) -> list[tuple]:
    """All rows of one query. PostgreSQL sends them in binary: its text format costs the client
    more to parse than everything else the frame does."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    import psycopg

    connection.ensure_connection()
    # Django's own cursors bind parameters on the client, which rules out binary results.
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, binary=True)
        return cursor.fetchall()


def fact_conditions(filters: Filters) -> tuple[list[str], list]:
    """SQL conditions (on the fact table's columns) and their parameters for these filters."""
    # Held facts started in a closed period after it closed: left out until it is recomputed.
    where, params = ["merged_into IS NULL", "NOT held"], []
    if not filters.include_not_for_us:
        where.append("NOT not_for_us")
    if filters.since is not None:
        where.append("started_at >= %s")
        params.append(connection.ops.adapt_datetimefield_value(filters.since))
    if filters.until is not None:
        where.append("started_at < %s")
        params.append(connection.ops.adapt_datetimefield_value(filters.until))
    for column, values in (
        ("channel_id", filters.channel_ids),
        ("queue_id", filters.queue_ids),
        ("language", filters.languages),
        ("kind", filters.kinds),
        ("assignee_id", filters.agent_ids),
        ("handler_level", filters.levels),
    ):
        if values:
            where.append(f"{column} IN ({', '.join(['%s'] * len(values))})")
            params.extend(values)
    return where, params
