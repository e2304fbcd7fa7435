"""Refuse UPDATE on the consent ledger in the database itself, whoever connects.

The ledger is the evidence of what each customer agreed to and when; a changed row would be a
forged record. DELETE stays possible at the database level (an operator erasing a customer on
request, a test flushing); the application never deletes (the model and queryset refuse it).
"""

from django.db import migrations

SQLITE_UP = """
CREATE TRIGGER people_consentrecord_append_only BEFORE UPDATE ON people_consentrecord
BEGIN SELECT RAISE(ABORT, 'the consent ledger is append-only'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS people_consentrecord_append_only;"

POSTGRES_UP = """
CREATE OR REPLACE FUNCTION people_consentrecord_refuse_update() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'the consent ledger is append-only'; END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER people_consentrecord_append_only BEFORE UPDATE ON people_consentrecord
FOR EACH ROW EXECUTE FUNCTION people_consentrecord_refuse_update();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS people_consentrecord_append_only ON people_consentrecord;
DROP FUNCTION IF EXISTS people_consentrecord_refuse_update();
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
    dependencies = [("people", "0002_consent_ledger")]
    operations = [migrations.RunPython(forwards, backwards)]
