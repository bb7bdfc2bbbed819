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


@pytest.fixture
def region_a(db):
    return RegionFactory(name="Regio A")


@pytest.fixture
def region_b(db):
    return RegionFactory(name="Regio B")


@pytest.fixture
def worker_a(region_a):
    return UserFactory(role=Role.MEDEWERKER, team=TeamFactory(region=region_a))


@pytest.fixture
def coordinator_a(region_a):
    return UserFactory(role=Role.COORDINATOR, team=TeamFactory(region=region_a))


@pytest.fixture
def social_map(region_a, region_b):
    """A small map: national, region A and region B entries, a draft and an archived one."""
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
