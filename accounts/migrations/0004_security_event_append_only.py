"""The security log is append-only in the database itself: an UPDATE is refused on SQLite and
PostgreSQL, whatever path (raw SQL, a bulk update, a future admin) tries it."""

from django.db import migrations

SQLITE = [
    """
    CREATE TRIGGER IF NOT EXISTS accounts_securityevent_no_update
    BEFORE UPDATE ON accounts_securityevent
    BEGIN
        SELECT RAISE(ABORT, 'the security log is append-only');
    END
    """
]
POSTGRES = [
    """
    CREATE OR REPLACE FUNCTION accounts_securityevent_refuse_update() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'the security log is append-only';
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER accounts_securityevent_no_update
    BEFORE UPDATE ON accounts_securityevent
    FOR EACH ROW EXECUTE FUNCTION accounts_securityevent_refuse_update()
    """,
]
DROP = {
    "sqlite": ["DROP TRIGGER IF EXISTS accounts_securityevent_no_update"],
    "postgresql": [
        "DROP TRIGGER IF EXISTS accounts_securityevent_no_update ON accounts_securityevent",
        "DROP FUNCTION IF EXISTS accounts_securityevent_refuse_update()",
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
    dependencies = [("accounts", "0003_security_event")]

    operations = [migrations.RunPython(forwards, backwards)]
