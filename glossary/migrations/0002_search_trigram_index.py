"""On PostgreSQL, a trigram GIN index makes substring search on Term.search_document use an
index (`search_document LIKE '%…%'`). SQLite has no such index; the glossary is small enough
for its scan, and the tests run the same search on both."""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS glossary_term_search_trgm "
    "ON glossary_term USING gin (search_document gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS glossary_term_search_trgm"]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("glossary", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
