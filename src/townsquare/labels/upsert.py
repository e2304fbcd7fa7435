"""Writing label rows in bulk: one INSERT … ON CONFLICT statement run for every row.

Django's bulk_create(update_conflicts=True) assembles SQL per row and field, which took the fast
path longer than the models themselves; the statement here is built once per call, and each
value is prepared by its own model field, as the ORM would.
"""

from django.db import connection

from townsquare.labels.models import MessageLabels

FIELDS = MessageLabels._meta.concrete_fields


def upsert(rows: list[MessageLabels], columns: list[str]) -> None:
    """Insert new label rows; for rows that exist overwrite only `columns` (attribute names)."""
    if not rows:
        return
    names = ", ".join(connection.ops.quote_name(field.column) for field in FIELDS)
    placeholders = ", ".join(["%s"] * len(FIELDS))
    key = connection.ops.quote_name(MessageLabels._meta.pk.column)
    updates = ", ".join(
        f"{quoted} = EXCLUDED.{quoted}"
        for quoted in (connection.ops.quote_name(MessageLabels._meta.get_field(c).column) for c in columns)
    )
    statement = (
        f"INSERT INTO {MessageLabels._meta.db_table} ({names}) VALUES ({placeholders})"
        f" ON CONFLICT ({key}) DO UPDATE SET {updates}"
    )
    values = [
        [field.get_db_prep_save(getattr(row, field.attname), connection) for field in FIELDS] for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(statement, values)
