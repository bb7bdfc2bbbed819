"""The access log and consultations are append-only in the database: UPDATE and DELETE are
refused unless the retention purge holds its permit (accounts/migrations/0005). The purge
deletes expired log rows and consultations with their case; emptying a purged case's
reference on its log rows (SET_NULL) is its one UPDATE. Consultation UPDATEs stay refused
always (0002)."""

from django.db import migrations


def _sqlite(table: str, event: str, message: str) -> str:
    return f"""
    CREATE TRIGGER IF NOT EXISTS {table}_no_{event.lower()}
    BEFORE {event} ON {table}
    WHEN NOT EXISTS (SELECT 1 FROM retention_permit)
    BEGIN
        SELECT RAISE(ABORT, '{message}');
    END
    """


def _postgres(table: str, event: str) -> str:
    return f"""
    CREATE TRIGGER {table}_no_{event.lower()}
    BEFORE {event} ON {table}
    FOR EACH ROW EXECUTE FUNCTION retention_permit_required()
    """


GUARDED = [
    ("cases_accesslog", "UPDATE", "the access log is append-only"),
    ("cases_accesslog", "DELETE", "the access log is append-only"),
    ("cases_consultation", "DELETE", "consultations are append-only"),
]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table, event, message in GUARDED:
        if vendor == "sqlite":
            schema_editor.execute(_sqlite(table, event, message))
        elif vendor == "postgresql":
            schema_editor.execute(_postgres(table, event))


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table, event, _message in GUARDED:
        name = f"{table}_no_{event.lower()}"
        if vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
        elif vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_access_log_outlives_case_purge_record"),
        ("accounts", "0006_retention_permit"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
