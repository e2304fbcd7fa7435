"""Fast bulk statements for ingest, the same on SQLite and PostgreSQL.

Ingest allocates primary keys itself (under the per-channel ingest lock) so that messages,
conversations and events go in with one `executemany` each, already linked: no UPDATE after
INSERT, no RETURNING to match up. It talks to the driver's cursor directly because Django's
cursor wrapper rewrites every statement, which costs more than the insert at 100k rows/s.
"""

import json
from contextlib import contextmanager
from datetime import UTC, datetime

from django.db import connection

# SQLite allows 32,766 parameters per statement, PostgreSQL 65,535; stay well below both.
MAX_PARAMS = 8000

_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _driver_cursor():
    connection.ensure_connection()
    return connection.connection.cursor()


def _sql(statement: str) -> str:
    """Statements are written with %s; sqlite3 wants ?."""
    return statement.replace("%s", "?") if connection.vendor == "sqlite" else statement


def execute_many(statement: str, rows: list[tuple]) -> None:
    if rows:
        cursor = _driver_cursor()
        try:
            cursor.executemany(_sql(statement), rows)
        finally:
            cursor.close()


def insert_many(table: str, columns: list[str], rows: list[tuple]) -> None:
    if rows and connection.vendor == "postgresql":
        # COPY is several times faster than executemany on PostgreSQL (one stream, no statement
        # per row); JSON columns arrive as text and PostgreSQL parses them into jsonb.
        cursor = _driver_cursor()
        try:
            with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        finally:
            cursor.close()
        return
    execute_many(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})", rows
    )


def select_in(table: str, columns: list[str], key: str, values, *, where: str = "", params=()) -> list[tuple]:
    """SELECT columns FROM table WHERE key IN (values) [AND where], in chunks."""
    values = list(values)
    found: list[tuple] = []
    if not values:
        return found
    extra = f" AND {where}" if where else ""
    select = f"SELECT {', '.join(columns)} FROM {table} WHERE {key}"
    cursor = _driver_cursor()
    try:
        if connection.vendor == "postgresql":
            # One array parameter: psycopg parses a query with thousands of placeholders slowly.
            cursor.execute(f"{select} = ANY(%s){extra}", [values, *params])
            return cursor.fetchall()
        for start in range(0, len(values), MAX_PARAMS):
            part = values[start : start + MAX_PARAMS]
            marks = ", ".join(["%s"] * len(part))
            cursor.execute(_sql(f"{select} IN ({marks}){extra}"), [*part, *params])
            found.extend(cursor.fetchall())
    finally:
        cursor.close()
    return found


def allocate_ids(table: str, count: int) -> list[int]:
    """Reserve `count` primary keys for `table`. Call with the ingest lock held (see locks.py)."""
    if count == 0:
        return []
    cursor = _driver_cursor()
    try:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, %s)",
                [count],
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite: the write lock is held (IMMEDIATE transaction); AUTOINCREMENT never reuses an id,
        # so start above both the highest id and the highest id ever handed out.
        cursor.execute(
            f"SELECT MAX(COALESCE((SELECT MAX(id) FROM {table}), 0),"
            " COALESCE((SELECT seq FROM sqlite_sequence WHERE name = ?), 0))",
            [table],
        )
        start = cursor.fetchone()[0] + 1
        return list(range(start, start + count))
    finally:
        cursor.close()


def db_datetime(moment: datetime):
    """What the driver expects for a DateTimeField value (Django keeps naive UTC text in SQLite)."""
    if connection.vendor == "sqlite":
        return _sqlite_datetime(moment)
    return moment


def _sqlite_datetime(moment: datetime) -> str:
    if moment.tzinfo is not UTC:
        moment = moment.astimezone(UTC)
    return moment.replace(tzinfo=None).isoformat(" ")


def _same_datetime(moment: datetime) -> datetime:
    return moment


def datetime_adapter():
    """db_datetime for the current connection, looked up once per batch (the lookup is not free)."""
    return _sqlite_datetime if connection.vendor == "sqlite" else _same_datetime


def db_json(value) -> str:
    return _encode(value)


@contextmanager
def bulk_write_mode():
    """On SQLite, checkpoint the write-ahead log less often while importing.

    Index pages are rewritten batch after batch; checkpointing every 4 MB (the default) copies
    them to the database file again and again. Up to 80 MB of log between checkpoints saves
    about a sixth of an import's time. The default is restored afterwards.
    """
    if connection.vendor != "sqlite":
        yield
        return
    cursor = _driver_cursor()
    try:
        cursor.execute("PRAGMA wal_autocheckpoint=20000")
        yield
    finally:
        cursor.execute("PRAGMA wal_autocheckpoint=1000")
        cursor.close()
