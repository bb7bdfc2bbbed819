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
import fcntl
import re
import sqlite3
from pathlib import Path

from django.db import DatabaseError, connections


def template_name(test_name: str) -> str:
    """The PostgreSQL template's name: the workers' database name without its `_gwN`."""
    return re.sub(r"_gw\d+$", "", test_name) + "_template"


def _is_sqlite(alias: str) -> bool:
    return connections[alias].vendor == "sqlite"


def _save(alias: str, sqlite_file: Path) -> None:
    connection = connections[alias]
    if _is_sqlite(alias):
        connection.ensure_connection()
        target = sqlite3.connect(sqlite_file)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        return
    name = connection.settings_dict["NAME"]
    connection.close()  # a template's source may have no other session
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{template_name(name)}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{template_name(name)}" TEMPLATE "{name}"')


def _restore(alias: str, sqlite_file: Path) -> None:
    connection = connections[alias]
    if _is_sqlite(alias):
        connection.ensure_connection()
        source = sqlite3.connect(sqlite_file)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        return
    name = connection.settings_dict["NAME"]
    connection.close()
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template_name(name)}"')


@contextlib.contextmanager
def migrate_once(shared_dir: Path):
    """Within this block the first worker's `migrate` of its test database is saved and the
    other workers' is a copy of it. `shared_dir` is the run's temporary directory, which all
    workers share."""
    import django.core.management

    real_call_command = django.core.management.call_command
    lock_file = shared_dir / "migrated.lock"

    def call_command(name, *args, **options):
        if name != "migrate":
            return real_call_command(name, *args, **options)
        # Only the test database's own migrate: a test that runs the command gets Django's.
        django.core.management.call_command = real_call_command
        alias = options.get("database", "default")
        sqlite_file = shared_dir / f"migrated-{alias}.sqlite3"
        ready = shared_dir / f"migrated-{alias}.ready"
        with open(lock_file, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                if ready.exists():
                    _restore(alias, sqlite_file)
                    return None
                result = real_call_command(name, *args, **options)
                _save(alias, sqlite_file)
                ready.touch()
                return result
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

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
