"""`flush` empties every table, the append-only logs included: on PostgreSQL its TRUNCATE
never fires their row triggers; on SQLite its DELETEs would, so it holds the retention
permit (accounts.retention) while it runs. The test suite flushes between transactional
tests."""

from django.core.management.commands import flush
from django.db import connections, transaction

from accounts.retention import retention_permit


class Command(flush.Command):
    def handle(self, **options):
        connection = connections[options["database"]]
        if connection.vendor != "sqlite":
            return super().handle(**options)
        with transaction.atomic(using=connection.alias), retention_permit():
            return super().handle(**options)
