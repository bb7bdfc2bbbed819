"""One migration per test run instead of one per pytest-xdist worker.

Migrating an empty database takes about 13 seconds of one core here, nearly all of it
Django rendering model states in Python (89 migrations). Every worker used to do it at the same
moment, so a run on two cores began with three workers fighting over them for half a minute.
Now the first worker to get the lock migrates and leaves a copy; the others wait for it and
copy it instead of migrating:

- SQLite (an in-memory test database): sqlite3's backup API, to a file and back;
- PostgreSQL: `CREATE DATABASE ... TEMPLATE`, the server's own copy.

The copy is what `migrate` left, data migrations and post_migrate rows (content types,
permissions, role groups) included. It lives for one run: the SQLite file in the run's temporary
directory, the PostgreSQL template dropped at the end of the run with any worker database left
behind (and before it is made, should an interrupted run have left one).
"""

import contextlib
import re
import sqlite3
from pathlib import Path

from django.db import DatabaseError, connections

from tests.shared import run_lock


def template_name(test_name: str) -> str:
    """The PostgreSQL template's name: the workers' database name without its `_gwN`."""
    return re.sub(r"_gw\d+$", "", test_name) + "_template"


def _copy(alias: str, sqlite_file: Path, *, to_template: bool) -> None:
    """Copy the worker's test database to the run's copy (`to_template`) or back."""
    connection = connections[alias]
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with contextlib.closing(sqlite3.connect(sqlite_file)) as file:
            source, target = (
                (connection.connection, file) if to_template else (file, connection.connection)
            )
            source.backup(target)
        return
    template = template_name(name)
    source, target = (name, template) if to_template else (template, name)
    connection.close()  # a template's source, and a database dropped, may have no session
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')


@contextlib.contextmanager
def migrate_once(shared_dir: Path):
    """Within this block the first worker's `migrate` of its test database is saved and the
    other workers' is a copy of it. `shared_dir` is the run's temporary directory, which all
    workers share."""
    import django.core.management

    real_call_command = django.core.management.call_command

    def call_command(name, *args, **options):
        if name != "migrate":
            return real_call_command(name, *args, **options)
        # Only the test database's own migrate: a test that runs the command gets Django's.
        django.core.management.call_command = real_call_command
        alias = options.get("database", "default")
        sqlite_file = shared_dir / f"migrated-{alias}.sqlite3"
        ready = shared_dir / f"migrated-{alias}.ready"
        with run_lock(shared_dir / "migrated.lock"):
            if ready.exists():
                _copy(alias, sqlite_file, to_template=False)
                return None
            result = real_call_command(name, *args, **options)
            _copy(alias, sqlite_file, to_template=True)
            ready.touch()
            return result

    django.core.management.call_command = call_command
    try:
        yield
    finally:
        django.core.management.call_command = real_call_command


def drop_run_databases(workers: int) -> None:
    """End of run (the xdist controller, all workers done): drop the PostgreSQL template and
    any worker database that a live server's last connection kept from being dropped at the
    worker's teardown ("is being accessed by other users"), so runs leave nothing behind."""
    connection = connections["default"]
    if connection.vendor != "postgresql":
        return
    test_name = connection.creation._get_test_db_name()
    names = [template_name(test_name)] + [f"{test_name}_gw{n}" for n in range(workers)]
    try:
        with connection._nodb_cursor() as cursor:
            for name in names:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    except DatabaseError:
        # The server went away during the run (the run has failed already); the next run's
        # first worker drops the leftover template before making its own.
        pass
