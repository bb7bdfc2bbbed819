import pytest

from accounts.constants import Role
from tests.factories import UserFactory


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
def _fresh_cache():
    """The cache outlives a test's database transaction; start every test without it."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


# Hypothesis: a modest run in `make test`; HYPOTHESIS_PROFILE=deep for the long one.
from hypothesis import HealthCheck  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402

hypothesis_settings.register_profile(
    "default", deadline=None, suppress_health_check=[HealthCheck.too_slow]
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
