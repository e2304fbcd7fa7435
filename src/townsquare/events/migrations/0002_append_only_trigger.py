"""Refuse UPDATE on the event log in the database itself, whoever connects.

DELETE stays possible at the database level so that an operator can prune or a test can flush;
the application never deletes (the model and queryset refuse it).
"""

from django.db import migrations

SQLITE_UP = """
CREATE TRIGGER events_event_append_only BEFORE UPDATE ON events_event
BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS events_event_append_only;"

POSTGRES_UP = """
CREATE OR REPLACE FUNCTION events_event_refuse_update() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'the event log is append-only'; END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER events_event_append_only BEFORE UPDATE ON events_event
FOR EACH ROW EXECUTE FUNCTION events_event_refuse_update();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS events_event_append_only ON events_event;
DROP FUNCTION IF EXISTS events_event_refuse_update();
"""


def forwards(apps, schema_editor):
    sql = {"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    sql = {"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
