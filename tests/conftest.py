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
