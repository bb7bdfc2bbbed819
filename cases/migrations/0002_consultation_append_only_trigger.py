"""Consultations are append-only: the database itself refuses an UPDATE, so no path (raw SQL,
a bulk update, a future admin) can change an advice once recorded. Deleting stays possible
only together with the case (retention purge); the application refuses single deletes."""

from django.db import migrations

SQLITE = [
    """
    CREATE TRIGGER IF NOT EXISTS cases_consultation_no_update
    BEFORE UPDATE ON cases_consultation
    BEGIN
        SELECT RAISE(ABORT, 'consultations are append-only');
    END
    """
]
POSTGRES = [
    """
    CREATE OR REPLACE FUNCTION cases_consultation_refuse_update() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'consultations are append-only';
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER cases_consultation_no_update
    BEFORE UPDATE ON cases_consultation
    FOR EACH ROW EXECUTE FUNCTION cases_consultation_refuse_update()
    """,
]
DROP = {
    "sqlite": ["DROP TRIGGER IF EXISTS cases_consultation_no_update"],
    "postgresql": [
        "DROP TRIGGER IF EXISTS cases_consultation_no_update ON cases_consultation",
        "DROP FUNCTION IF EXISTS cases_consultation_refuse_update()",
    ],
}


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": SQLITE, "postgresql": POSTGRES}.get(vendor, []):
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    for statement in DROP.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
