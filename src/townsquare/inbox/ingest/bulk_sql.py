"""Multi-row INSERT … ON CONFLICT DO NOTHING RETURNING, the same on SQLite and PostgreSQL.

Bulk ingest writes with one statement per chunk rather than one per row: it is what makes an
import run at a useful fraction of raw `executemany` speed while still learning, from RETURNING,
exactly which rows this call stored (so counts stay exact when several writers race).
"""

import json
from datetime import UTC, datetime
from functools import lru_cache

from django.db import connection

# SQLite allows 32,766 parameters per statement, PostgreSQL 65,535; stay well below both.
MAX_PARAMS = 8000


def chunks(rows: list, width: int):
    size = max(1, MAX_PARAMS // width)
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


@lru_cache(maxsize=64)
def _values_clause(width: int, count: int, json_columns: tuple[int, ...], vendor: str) -> str:
    cells = ["%s"] * width
    if vendor == "postgresql":
        for index in json_columns:
            cells[index] = "%s::jsonb"
    row = "(" + ", ".join(cells) + ")"
    return ", ".join([row] * count)


def insert_returning(
    table: str,
    columns: list[str],
    rows: list[tuple],
    *,
    conflict: list[str] | None = None,
    returning: list[str] | None,
    json_columns: tuple[int, ...] = (),
) -> list[tuple]:
    """Insert rows; with `conflict`, skip rows that hit that unique key. Returns the RETURNING rows, if any."""
    if not rows:
        return []
    width = len(columns)
    on_conflict = f" ON CONFLICT ({', '.join(conflict)}) DO NOTHING" if conflict else ""
    returned: list[tuple] = []
    with connection.cursor() as cursor:
        for part in chunks(rows, width):
            values = _values_clause(width, len(part), json_columns, connection.vendor)
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES {values}{on_conflict}"
            if returning:
                sql += f" RETURNING {', '.join(returning)}"
            cursor.execute(sql, [value for row in part for value in row])
            if returning:
                returned.extend(cursor.fetchall())
    return returned


def select_in(
    table: str, columns: list[str], key: str, values: list, *, where: str = "", params=()
) -> list[tuple]:
    """SELECT columns FROM table WHERE key IN (values) [AND where], chunked."""
    found: list[tuple] = []
    if not values:
        return found
    extra = f" AND {where}" if where else ""
    with connection.cursor() as cursor:
        for part in chunks(list(values), 1):
            marks = ", ".join(["%s"] * len(part))
            cursor.execute(
                f"SELECT {', '.join(columns)} FROM {table} WHERE {key} IN ({marks}){extra}",
                [*part, *params],
            )
            found.extend(cursor.fetchall())
    return found


def execute_many(sql: str, rows: list[tuple]) -> None:
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)


def db_datetime(moment: datetime):
    """What the database driver expects for a DateTimeField value (SQLite stores naive UTC text)."""
    if connection.vendor == "sqlite":
        return moment.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
    return moment


def db_json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
