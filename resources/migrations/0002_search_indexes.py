"""On PostgreSQL, two GIN indexes on Resource.search_document: the `dutch` full-text vector
(the exact expression resources.search.matching() queries, so the planner uses it) and trigrams
for the substring part of the search. SQLite has neither; its fallback scans the table, and the
tests run the same searches on both."""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS resources_resource_search_fts ON resources_resource "
    "USING gin (to_tsvector('dutch'::regconfig, COALESCE(search_document, '')))",
    "CREATE INDEX IF NOT EXISTS resources_resource_search_trgm ON resources_resource "
    "USING gin (search_document gin_trgm_ops)",
]
DROP = [
    "DROP INDEX IF EXISTS resources_resource_search_fts",
    "DROP INDEX IF EXISTS resources_resource_search_trgm",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("resources", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
