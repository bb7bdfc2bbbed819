import copy

import pytest

from accounts.constants import Role
from tests.factories import (
    OrganisationFactory,
    ProfessionalGroupFactory,
    ReferralRouteFactory,
    RegionFactory,
    ResourceFactory,
    TeamFactory,
    ThemeFactory,
    UserFactory,
)
from tests.shared import shared_rows


# The regions and the small map below are built once per test class (about 0.1 s each time;
# 190 tests use them) and rolled back after the class (tests/shared.py); a test in such a class
# must request them. Each test gets its own copies of the objects, as Django's
# TestCase.setUpTestData gives them, so what one test changes in them is not what the next one
# sees; what it changes in the database is undone after it.
@pytest.fixture(scope="class")
def _regions(django_db_setup, django_db_blocker):
    with shared_rows(django_db_blocker, "_regions"):
        yield RegionFactory(name="Regio A"), RegionFactory(name="Regio B")


@pytest.fixture
def region_a(db, _regions):
    return copy.deepcopy(_regions[0])


@pytest.fixture
def region_b(db, _regions):
    return copy.deepcopy(_regions[1])


@pytest.fixture
def worker_a(region_a):
    return UserFactory(role=Role.MEDEWERKER, team=TeamFactory(region=region_a))


@pytest.fixture
def coordinator_a(region_a):
    return UserFactory(role=Role.COORDINATOR, team=TeamFactory(region=region_a))


@pytest.fixture
def social_map(db, _social_map):
    """A small map: national, region A and region B entries, a draft and an archived one."""
    return copy.deepcopy(_social_map)


@pytest.fixture(scope="class")
def _social_map(_regions, django_db_blocker):
    with shared_rows(django_db_blocker, "_social_map"):
        yield _build_social_map(*_regions)


def _build_social_map(region_a, region_b):
    prevention = ThemeFactory(slug="preventie", name_nl="Preventieve aanpak", order=1)
    parents = ThemeFactory(slug="ouders", name_nl="Ouders", parent=prevention, order=1)
    school = ThemeFactory(slug="onderwijs", name_nl="Onderwijs", parent=prevention, order=2)
    honour = ThemeFactory(slug="eer", name_nl="Eergerelateerd geweld", order=2)
    teams = ProfessionalGroupFactory(slug="wijkteams", name_nl="Wijk- en jeugdteams")
    teachers = ProfessionalGroupFactory(slug="leraren", name_nl="Onderwijs")
    national = OrganisationFactory(slug="landelijk-org", name_nl="Landelijke Stichting")
    local_a = OrganisationFactory(slug="org-a", name_nl="Wijkteam A", region=region_a)
    local_b = OrganisationFactory(slug="org-b", name_nl="Wijkteam B", region=region_b)
    resources = {
        "gesprek": ResourceFactory(
            slug="gesprek",
            title_nl="Het Mediagesprek",
            organisation=national,
            kind="gesprekstool",
            themes=[parents],
            audiences=["ouders", "professionals"],
            languages=["nl", "en", "fr", "tr", "ar"],
            professional_groups=[teams],
            cost="onbekend",
        ),
        "fietsen": ResourceFactory(
            slug="fietsen",
            title_nl="Samen fietsen en praten",
            description_nl="Een ouderavond waarbij ouders samen fietsen.",
            organisation=national,
            kind="training",
            themes=[parents],
            audiences=["ouders"],
            languages=["nl"],
            professional_groups=[teams],
            cost="gratis",
        ),
        "les": ResourceFactory(
            slug="les",
            title_nl="Lespakket weerbaarheid",
            organisation=national,
            kind="lesprogramma",
            themes=[school],
            audiences=["onderwijs", "jongeren"],
            languages=["nl", "en"],
            professional_groups=[teachers],
            cost="betaald",
        ),
        "eer": ResourceFactory(
            slug="eer-factsheet",
            title_nl="Factsheet meldcode",
            parent_text_nl="Informatie voor ouders.",
            parent_text_en="Information for parents.",
            organisation=national,
            kind="factsheet",
            themes=[honour],
            audiences=["professionals"],
            professional_groups=[teams],
        ),
        "a": ResourceFactory(
            slug="lokaal-a",
            title_nl="Spreekuur in regio A",
            organisation=local_a,
            region=region_a,
            kind="hulplijn",
            themes=[parents],
            audiences=["ouders"],
            languages=["nl", "ar"],
        ),
        "b": ResourceFactory(
            slug="lokaal-b",
            title_nl="Spreekuur in regio B",
            organisation=local_b,
            region=region_b,
            kind="hulplijn",
            themes=[parents],
            audiences=["ouders"],
            languages=["nl", "ar"],
        ),
        "concept": ResourceFactory(
            slug="concept", title_nl="Nog niet af", organisation=national, status="concept"
        ),
        "archief": ResourceFactory(
            slug="archief",
            title_nl="Oud materiaal",
            organisation=national,
            status="gearchiveerd",
            themes=[parents],
        ),
    }
    routes = {
        "national": ReferralRouteFactory(
            slug="route-landelijk",
            situation="voorlichting-eigen-taal",
            organisation=national,
            resource=resources["gesprek"],
            contact="https://gesprek.example.org/",
        ),
        "a": ReferralRouteFactory(
            slug="route-a", organisation=local_a, region=region_a, contact="010 123 4567"
        ),
        "b": ReferralRouteFactory(slug="route-b", organisation=local_b, region=region_b),
    }
    return {
        "themes": {"preventie": prevention, "ouders": parents, "onderwijs": school, "eer": honour},
        "organisations": {"national": national, "a": local_a, "b": local_b},
        "resources": resources,
        "routes": routes,
    }
