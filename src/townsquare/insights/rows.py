"""Projection rows in and out of the database on a refresh's hot path, without the ORM's per-value
machinery: a fold of 1,000 events reads and writes a few hundred facts, and building them through
QuerySets and bulk_create took longer than the database work itself."""

from datetime import UTC, datetime

from django.db import connection
from django.db.models.base import ModelState

from townsquare.insights.models import ConversationFact

# SQLite caps the number of bound parameters in one statement.
IDS_PER_QUERY = 900
FACT_FIELDS = ConversationFact._meta.concrete_fields
FACT_TIMES = [i for i, field in enumerate(FACT_FIELDS) if field.get_internal_type() == "DateTimeField"]


def _sqlite_moment(value):
    return (datetime.fromisoformat(value) if isinstance(value, str) else value).replace(tzinfo=UTC)


def _sqlite_time(value):
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat(" ")


def moment_reader():
    """fn(value) -> a datetime column's value as an aware UTC datetime (SQLite gives naive UTC, or
    text). Chosen once per query: `connection.vendor` costs a context-local lookup per call."""
    if connection.vendor != "sqlite":
        return lambda value: value
    return lambda value: None if value is None else _sqlite_moment(value)


def time_writer():
    """fn(aware datetime) -> the value the column takes (SQLite: naive UTC text, as Django writes)."""
    if connection.vendor != "sqlite":
        return lambda value: value
    return lambda value: None if value is None else _sqlite_time(value)


def execute_bound(sql: str, params: list) -> None:
    """One statement with server-side parameters (PostgreSQL; lists go over as typed arrays)."""
    import psycopg

    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params)


def execute_many(sql: str, rows: list) -> None:
    """One statement for many rows. On PostgreSQL through a server-side binding cursor: psycopg
    pipelines it and adapts each value once, where Django's client-side binding cursor formats
    the whole statement again for every row."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)
        return
    import psycopg

    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.executemany(sql, rows)


def load_facts(ids: list[int]) -> dict[int, ConversationFact]:
    """The facts of these conversations that exist, as model instances (not new: `_state.adding`
    is False), each remembering the business-hours durations it was stored with (derive reuses
    them while their start and end have not moved)."""
    columns = ", ".join(field.column for field in FACT_FIELDS)
    names = [field.attname for field in FACT_FIELDS]
    table = ConversationFact._meta.db_table
    found = {}
    moment = moment_reader()
    with connection.cursor() as cursor:
        for start in range(0, len(ids), IDS_PER_QUERY):
            part = ids[start : start + IDS_PER_QUERY]
            marks = ", ".join(["%s"] * len(part))
            cursor.execute(f"SELECT {columns} FROM {table} WHERE conversation_id IN ({marks})", part)
            for row in cursor.fetchall():
                row = list(row)
                for i in FACT_TIMES:
                    row[i] = moment(row[i])
                fact = ConversationFact.__new__(ConversationFact)
                fact.__dict__.update(zip(names, row, strict=True))
                fact._state = ModelState()
                fact._state.adding, fact._state.db = False, connection.alias
                fact._business = {
                    (fact.first_inbound_at, fact.first_response_at): fact.first_response_business_seconds,
                    (fact.first_inbound_at, fact.resolved_at): fact.resolution_business_seconds,
                }
                found[fact.conversation_id] = fact
    return found
