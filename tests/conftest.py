import pytest

from accounts.constants import Role
from tests.content_snapshot import load_content
from tests.factories import UserFactory
from tests.shared import SHARED_NOW, shared_rows


@pytest.fixture(scope="class")
def content(django_db_setup, django_db_blocker):
    """The product's content (`load_content`), loaded once per test class (per test for a
    plain function) and rolled back after it. Request it together with `db`; what a test
    changes is undone after that test."""
    with shared_rows(django_db_blocker):
        load_content()
        yield


@pytest.fixture
def worker(db):
    return UserFactory(role=Role.MEDEWERKER)


@pytest.fixture
def coordinator(db):
    return UserFactory(role=Role.COORDINATOR)


@pytest.fixture
def beheerder(db):
    return UserFactory(role=Role.BEHEERDER, team=None)


@pytest.fixture(autouse=True)
def _shared_rows_are_requested(request):
    """Named shared rows (tests/shared.py) that exist now must be requested by the test."""
    missing = SHARED_NOW - set(request.fixturenames)
    if missing:
        pytest.fail(
            f"{', '.join(sorted(missing))}: built for this class; request it, or "
            "move this test to a class without it"
        )


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The caches outlive a test's database transaction; start every test without them."""
    from django.conf import settings
    from django.core.cache import caches

    for alias in settings.CACHES:
        caches[alias].clear()
    yield
    for alias in settings.CACHES:
        caches[alias].clear()


# Hypothesis: a modest run in `make test`, the same examples every time (derandomized), so CI
# passes or fails on the code and not on the draw; HYPOTHESIS_PROFILE=deep for the long one,
# with new random examples each run (that is where the fuzz test finds new 500s).
from hypothesis import HealthCheck  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402

hypothesis_settings.register_profile(
    "default", deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.register_profile(
    "deep",
    deadline=None,
    max_examples=10_000,
    suppress_health_check=[HealthCheck.too_slow],
)
hypothesis_settings.load_profile(__import__("os").environ.get("HYPOTHESIS_PROFILE", "default"))


class Clock:
    """Time travel without a dependency: `clock.advance(minutes=31)` moves django's
    timezone.now() (which sessions, the session limits and the logs read) forward."""

    def __init__(self):
        import datetime as dt

        self._offset = dt.timedelta()

    def advance(self, **delta):
        import datetime as dt

        self._offset += dt.timedelta(**delta)

    @property
    def offset(self):
        return self._offset


@pytest.fixture
def clock(monkeypatch):
    from django.utils import timezone

    real_now = timezone.now
    travel = Clock()
    monkeypatch.setattr(timezone, "now", lambda: real_now() + travel.offset)
    return travel


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings, tmp_path_factory, worker_id):
    """pytest-django's, then: under pytest-xdist the workers' test databases are copies of
    the first one's migrated database (tests/template_db.py), and they share the content
    snapshots of tests/content_snapshot.py."""
    from tests import content_snapshot
    from tests.template_db import migrate_once

    if worker_id == "master":
        yield
        return
    content_snapshot.shared_dir = tmp_path_factory.getbasetemp().parent
    with migrate_once(content_snapshot.shared_dir):
        yield


def pytest_collection_modifyitems(items):
    """Tests that switch Sentry on run last. sentry-sdk patches Django once per process (every
    middleware, signal, template and query goes through its wrappers) and cannot take that
    back: with Sentry off again, the tests after one of them ran 13 % slower in that worker.
    Under pytest-xdist the last tests run at the end of the run, on whichever worker."""
    items.sort(key=lambda item: item.get_closest_marker("sentry_patches") is not None)


def pytest_sessionfinish(session):
    workers = session.config.getoption("numprocesses", None)
    if hasattr(session.config, "workerinput") or not workers:
        return  # a worker, or a run without workers; the controller drops the template
    from pytest_django.plugin import blocking_manager_key

    from tests.template_db import drop_run_databases

    with session.config.stash[blocking_manager_key].unblock():
        drop_run_databases(workers if isinstance(workers, int) else 0)
