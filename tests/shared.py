"""Test data built once for many tests."""

import fcntl
from contextlib import contextmanager
from pathlib import Path

from django.db import transaction

# The names of the shared rows that exist now (see shared_rows).
SHARED_NOW: set[str] = set()


@contextmanager
def shared_rows(django_db_blocker, name: str | None = None):
    """Rows made inside this block are seen by every test of the fixture's scope and rolled
    back at its end: each test still runs in its own savepoint (the `db` fixture), so what a
    test changes is undone after it. For read-mostly data that is slow to build (the content,
    thousands of rows for a query budget): build it once per class or module, not per test.
    Only for `db` tests: a `transactional_db` test would flush it.

    With a `name` (the fixture's), a test that runs while the rows exist fails unless it
    requests that fixture (tests/conftest.py): one in the same class that did not would see
    rows it never asked for, depending on which tests ran before it (under pytest-xdist, on
    which worker)."""
    with django_db_blocker.unblock(), transaction.atomic():
        if name:
            SHARED_NOW.add(name)
        try:
            yield
            transaction.set_rollback(True)
        finally:
            SHARED_NOW.discard(name)


@contextmanager
def run_lock(path: Path):
    """One pytest-xdist worker at a time in this block: a lock on `path`, a file in the run's
    temporary directory (the others wait until the holder leaves the block)."""
    with open(path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
