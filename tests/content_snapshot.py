"""The product's content for test fixtures: `load_content` for real about twice per run.

`load_content` is the slowest thing the suite's fixtures do (about 6,000 queries, 2.5-5 s of
CPU) and a run needs the content about fifteen times: per test class (`content`), per browser
module (`content_site`), again after a flush, and once in every worker. A real load remembers
what it changed in the database (rows inserted, updated and deleted, per table); a later load
whose database is in exactly the state the real one started from writes those rows instead
(well under a second). A database in any other state gets the real command. Under pytest-xdist
the workers share the snapshots (a file in the run's temporary directory, under a lock): their
databases are copies of one migrated database, so the run loads for real once after the
migrate and once after a flush. The command itself is tested in tests/config/test_load_content.py.
"""

import pickle
from pathlib import Path

from django.core.management import call_command
from django.db import connection, transaction

from tests.shared import run_lock

# (state of the database before a real load, the changes the load made). A few: the state
# after a migrate differs from the state after a flush (new permission rows).
_snapshots = []
# Under pytest-xdist the run's directory all workers share (tests/conftest.py): their test
# databases are copies of one migrated database, so one worker's snapshot serves them all.
shared_dir: Path | None = None


def load_content():
    """What `call_command("load_content", verbosity=0)` does to the database, as a copy when
    the database is as it was before one of this run's real loads."""
    before = _read_all()
    if shared_dir is None:
        _load(before)
        return
    # One worker at a time: the others wait for a real load and copy its result.
    with run_lock(shared_dir / "content-snapshots.lock"):
        _snapshots[:] = _read_shared()
        if snapshot := _load(before):
            with open(shared_dir / "content-snapshots.pickle", "ab") as file:
                pickle.dump(snapshot, file)


def _load(before):
    """Copy the snapshot that starts from `before`; without one, load for real and return the
    new snapshot."""
    for state, changes in _snapshots:
        if state == before:
            _apply(changes)
            return None
    call_command("load_content", verbosity=0)
    snapshot = (before, _changes(before, _read_all()))
    _snapshots.append(snapshot)
    return snapshot


def _read_shared():
    found = []
    try:
        with open(shared_dir / "content-snapshots.pickle", "rb") as file:
            while True:
                found.append(pickle.load(file))
    except (FileNotFoundError, EOFError):
        return found


_table_cache = {}


def _tables():
    """{table: (primary key column, columns)} of the tables with a one-column primary key."""
    key = (connection.vendor, connection.settings_dict["NAME"])
    if key not in _table_cache:
        introspection = connection.introspection
        tables = {}
        with connection.cursor() as cursor:
            generated = _generated_columns(cursor)
            for info in introspection.get_table_list(cursor):
                if info.type != "t" or info.name == "django_migrations":
                    continue
                pk = introspection.get_primary_key_column(cursor, info.name)
                if pk is not None:
                    description = introspection.get_table_description(cursor, info.name)
                    columns = [column.name for column in description]
                    columns = [c for c in columns if (info.name, c) not in generated]
                    tables[info.name] = (pk, columns)
        _table_cache[key] = tables
    return _table_cache[key]


def _generated_columns(cursor):
    """PostgreSQL's computed columns (the search vectors): written by the database only.
    (SQLite's introspection leaves them out.)"""
    if connection.vendor != "postgresql":
        return set()
    cursor.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND is_generated = 'ALWAYS'"
    )
    return set(cursor.fetchall())


def _read_all():
    """Every row of every table, by primary key: {table: (pk, columns, {pk: row})}."""
    quote = connection.ops.quote_name
    # PostgreSQL's values come back as text and go back as untyped literals, so every column
    # type (JSON, tsvector, arrays) round-trips; SQLite's are stored as they come.
    cast = "::text" if connection.vendor == "postgresql" else ""
    state = {}
    with connection.cursor() as cursor:
        for name, (pk, columns) in _tables().items():
            cursor.execute(
                "SELECT {} FROM {}".format(
                    ", ".join(quote(column) + cast for column in columns), quote(name)
                )
            )
            index = columns.index(pk)
            state[name] = (pk, columns, {row[index]: row for row in cursor.fetchall()})
    return state


def _changes(before, after):
    changes = []
    for name, (pk, columns, rows) in after.items():
        old = before[name][2]
        gone = [key for key in old if key not in rows or rows[key] != old[key]]
        new = [row for key, row in rows.items() if old.get(key) != row]
        if gone or new:
            changes.append((name, pk, columns, gone, new))
    return changes


def _apply(changes):
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        for name, pk, columns, gone, new in changes:
            if gone:
                cursor.execute(
                    "DELETE FROM {} WHERE {} IN ({})".format(
                        quote(name), quote(pk), ", ".join(["%s"] * len(gone))
                    ),
                    gone,
                )
            if new:
                cursor.executemany(
                    "INSERT INTO {} ({}) VALUES ({})".format(
                        quote(name),
                        ", ".join(quote(column) for column in columns),
                        ", ".join(["%s"] * len(columns)),
                    ),
                    new,
                )
            if new and connection.vendor == "postgresql":
                # Explicit keys leave the table's sequence behind (a flush restarts it).
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, %s), MAX({quote(pk)})) "
                    f"FROM {quote(name)} HAVING pg_get_serial_sequence(%s, %s) IS NOT NULL",
                    [quote(name), pk, quote(name), pk],
                )
    # What the command's saves forget in the cache (rate limits and the rest stay).
    from glossary.services import label_index_clear
    from resources.caching import map_cache_clear

    label_index_clear()
    map_cache_clear()
