"""Rows for raw bulk inserts that stay right when someone adds a column.

The importer writes topics, posts and events with one `executemany`/COPY per batch (the ORM's
bulk_create costs more than the rest of the import at these sizes). It names the columns it
fills; every other concrete column gets its model default, looked up per batch, so a field
another part of the app adds later (with a default, or nullable) does not break the import.
"""

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import NOT_PROVIDED

from townsquare.inbox.ingest.bulk_sql import datetime_adapter, db_json


def row_shape(model, given: list[str]) -> tuple[list[str], tuple]:
    """(columns, values for the columns after `given`): `given` first, then the defaulted rest."""
    columns, tail = list(given), []
    for field in model._meta.concrete_fields:
        column = field.column
        if column in given or getattr(field, "generated", False) or field.primary_key and column == "id":
            continue
        columns.append(column)
        tail.append(_default(model, field))
    return columns, tuple(tail)


def _default(model, field):
    if field.has_default() or (field.empty_strings_allowed and not field.null):
        value = field.get_default()  # "" for a text field without one, as the ORM would save
    elif field.null:
        return None
    elif field.db_default is not NOT_PROVIDED:
        raise ImproperlyConfigured(f"{model.__name__}.{field.name}: give the importer a value for it")
    else:
        raise ImproperlyConfigured(f"{model.__name__}.{field.name} has no default; the importer must fill it")
    internal = field.get_internal_type()
    if internal == "DateTimeField":
        return datetime_adapter()(value)
    if internal == "JSONField":
        return db_json(value)
    if internal == "BooleanField" and connection.vendor == "sqlite":
        return int(value)
    return value
