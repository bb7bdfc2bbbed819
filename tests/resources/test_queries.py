"""Query budgets with 2,000 resources: the number of queries must not grow with the data.

Measured cold (an empty cache): the login baseline (2), the vocabulary the map keeps (5),
then the page's own; tests/config/test_query_budgets.py has the warm budgets of issue 13."""

import pytest

from resources.models import Resource
from tests.factories import ReferralRouteFactory, bulk_resources
from tests.shared import shared_rows


@pytest.fixture(scope="class")
def _many(django_db_setup, django_db_blocker):
    with shared_rows(django_db_blocker):
        yield bulk_resources(2000)


@pytest.fixture
def many(db, _many):
    """2,000 published resources, built once per test class."""
    return _many


class QueryBudgetTests:
    def test_map_grouped_by_theme(self, client, worker, many, django_assert_max_num_queries):
        client.force_login(worker)
        with django_assert_max_num_queries(2 + 5 + 2):  # facet counts, the page
            response = client.get("/sociale-kaart/")
        html = response.content.decode()
        assert "1.000+ materialen gevonden" in html
        assert html.count('class="card resource-card') == 100  # one page

    def test_map_search(self, client, worker, many, django_assert_max_num_queries):
        client.force_login(worker)
        with django_assert_max_num_queries(2 + 5 + 4):  # counts, matches, scores, page
            response = client.get("/sociale-kaart/", {"q": "fietsen"})
        assert "1.000+ materialen gevonden" in response.content.decode()

    def test_map_with_filters(self, client, worker, many, django_assert_max_num_queries):
        client.force_login(worker)
        with django_assert_max_num_queries(2 + 5 + 2):
            response = client.get(
                "/sociale-kaart/", {"taal": "ar", "doelgroep": "ouders", "pagina": "2"}
            )
        html = response.content.decode()
        assert "100 materialen gevonden" in html
        assert "pagina 2 van" not in html  # 100 fit on one page: page 2 shows the last page

    def test_resource_page(self, client, worker, many, django_assert_max_num_queries):
        resource = Resource.objects.get(slug="bron-0")
        for _ in range(20):
            ReferralRouteFactory(organisation=resource.organisation, resource=resource)
        client.force_login(worker)
        with django_assert_max_num_queries(2 + 5 + 1 + 2):  # label index, resource, routes
            response = client.get(resource.get_absolute_url())
        assert response.status_code == 200
        assert response.content.decode().count('class="card route-card') == 20

    def test_organisation_page(self, client, worker, many, django_assert_max_num_queries):
        organisation = Resource.objects.get(slug="bron-0").organisation
        client.force_login(worker)
        with django_assert_max_num_queries(2 + 1 + 2):  # label index, resources, routes
            response = client.get(organisation.get_absolute_url())
        assert response.content.decode().count("/sociale-kaart/materiaal/bron-") == 100

    @pytest.mark.parametrize("language", ["nl", "ar"])
    def test_handout(self, client, worker, many, language, django_assert_max_num_queries):
        """40 items (the most a handout holds) with a route each, in Dutch and in Arabic."""
        client.force_login(worker)
        chosen = list(Resource.objects.filter(audiences__code="ouders")[:40])
        for resource in chosen:
            ReferralRouteFactory(organisation=resource.organisation, resource=resource)
        ids = [str(r.uuid) for r in chosen]
        client.post("/sociale-kaart/folder/kiezen/", {"shown": ids, "chosen": ids})
        for path in ("/sociale-kaart/folder/", "/sociale-kaart/folder/afdrukken/"):
            with django_assert_max_num_queries(10):
                response = client.get(path, {"taal": language})
            html = response.content.decode()
            assert html.count('class="handout-item"') == 40
            assert html.count("Hier krijgt u hulp.") == 40

    @pytest.mark.parametrize(
        "path",
        [
            "/beheer/resources/resource/",
            "/beheer/resources/organisation/",
            "/beheer/resources/referralroute/",
            "/beheer/resources/theme/",
            "/beheer/resources/professionalgroup/",
        ],
    )
    def test_admin_lists(self, client, beheerder, many, path, django_assert_max_num_queries):
        resources = Resource.objects.select_related("organisation")[:150]
        for resource in resources:
            ReferralRouteFactory(organisation=resource.organisation, resource=resource)
        client.force_login(beheerder)
        with django_assert_max_num_queries(14):
            assert client.get(path).status_code == 200

    def test_coordinator_admin_list(self, client, coordinator, many, django_assert_max_num_queries):
        client.force_login(coordinator)
        with django_assert_max_num_queries(14):
            assert client.get("/beheer/resources/resource/").status_code == 200

    def test_api_organisation_list(self, client, many, django_assert_max_num_queries):
        with django_assert_max_num_queries(3):
            response = client.get("/api/hsds/organizations", {"per_page": 200})
        assert response.json()["total_items"] == 20
