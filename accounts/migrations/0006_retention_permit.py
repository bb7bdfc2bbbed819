"""Append-only logs that still expire: a DELETE on the security log is refused by the database
unless the retention purge's own transaction holds a permit.

`retention_permit` is a plain table, not a model (so `flush` and the admin never touch it).
The purge (accounts.retention.retention_permit) inserts a row inside its transaction and
deletes it before committing: no other transaction ever sees it (PostgreSQL's isolation;
SQLite's single writer). The same check serves the access log and consultations
(cases/migrations/0004), so it works alike on SQLite and PostgreSQL without session settings.
"""

from django.db import migrations

TABLE = "CREATE TABLE IF NOT EXISTS retention_permit (granted_at VARCHAR(40) NOT NULL)"
SQLITE = [
    TABLE,
    """
    CREATE TRIGGER IF NOT EXISTS accounts_securityevent_no_delete
    BEFORE DELETE ON accounts_securityevent
    WHEN NOT EXISTS (SELECT 1 FROM retention_permit)
    BEGIN
        SELECT RAISE(ABORT, 'the security log is append-only');
    END
    """,
]
POSTGRES = [
    TABLE,
    """
    CREATE OR REPLACE FUNCTION retention_permit_required() RETURNS trigger AS $$
    BEGIN
        IF NOT EXISTS (SELECT 1 FROM retention_permit) THEN
            RAISE EXCEPTION USING MESSAGE = TG_TABLE_NAME || ' is append-only';
        END IF;
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER accounts_securityevent_no_delete
    BEFORE DELETE ON accounts_securityevent
    FOR EACH ROW EXECUTE FUNCTION retention_permit_required()
    """,
]
DROP = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS accounts_securityevent_no_delete",
        "DROP TABLE IF EXISTS retention_permit",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS accounts_securityevent_no_delete ON accounts_securityevent",
        "DROP FUNCTION IF EXISTS retention_permit_required()",
        "DROP TABLE IF EXISTS retention_permit",
    ],
}


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": SQLITE, "postgresql": POSTGRES}.get(vendor, [TABLE]):
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    for statement in DROP.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_user_session")]

    operations = [migrations.RunPython(forwards, backwards)]
