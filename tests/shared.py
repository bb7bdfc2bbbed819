"""Test data built once for many tests."""

import fcntl
from contextlib import contextmanager
from pathlib import Path

from django.db import transaction


@contextmanager
def shared_rows(django_db_blocker):
    """Rows made inside this block are seen by every test of the fixture's scope and rolled
    back at its end: each test still runs in its own savepoint (the `db` fixture), so what a
    test changes is undone after it. For read-mostly data that is slow to build (the content,
    thousands of rows for a query budget): build it once per class or module, not per test.
    Only for `db` tests: a `transactional_db` test would flush it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


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
