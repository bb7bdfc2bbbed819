"""What the map keeps between requests (resources.caching) and that a change shows at once:
the facet counts, the vocabulary, the relations read with the page (issue 13)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from resources.models import Audience, Language, Resource
from resources.selectors import (
    HANDOUT_PREFETCH,
    MapFilters,
    attach_relations,
    map_page,
    with_relation_ids,
)
from resources.services import resource_save
from tests.factories import ThemeFactory


def counts(result, facet):
    return {item.value: item.count for item in result.facets[facet]}


class FacetCountTests:
    def test_counts_and_total_come_from_one_statement(self, social_map, worker_a):
        map_page(user=worker_a, filters=MapFilters())  # the vocabulary is kept
        with CaptureQueriesContext(connection) as captured:
            map_page(user=worker_a, filters=MapFilters(query="ouders", languages=("nl",)))
        # The facet counts with the total; then the first matches in map order with their
        # search documents (scored in Python), and the page with its relations. (A kept
        # ranking saves the second: RankingCacheTests.)
        assert len(captured.captured_queries) == 3
        assert "UNION ALL" in captured.captured_queries[0]["sql"]
        assert "UNION ALL" not in " ".join(q["sql"] for q in captured.captured_queries[1:])

    def test_kept_counts_cost_no_query_and_follow_a_save(self, social_map, worker_a):
        before = map_page(user=worker_a, filters=MapFilters())
        with CaptureQueriesContext(connection) as captured:
            again = map_page(user=worker_a, filters=MapFilters())
        assert len(captured.captured_queries) == 1  # only the page itself
        assert counts(again, "kinds") == counts(before, "kinds")

        resource = social_map["resources"]["fietsen"]
        resource.kind = "factsheet"
        resource_save(resource=resource)
        after = map_page(user=worker_a, filters=MapFilters())
        assert counts(after, "kinds")["factsheet"] == counts(before, "kinds")["factsheet"] + 1
        assert counts(after, "kinds")["training"] == counts(before, "kinds")["training"] - 1

    def test_a_changed_classification_shows_at_once(self, social_map, worker_a):
        before = counts(map_page(user=worker_a, filters=MapFilters()), "languages")
        resource = social_map["resources"]["fietsen"]
        resource.languages.add(Language.objects.get(code="ar"))
        after = counts(map_page(user=worker_a, filters=MapFilters()), "languages")
        assert after["ar"] == before["ar"] + 1

    def test_a_new_theme_shows_at_once(self, social_map, worker_a):
        map_page(user=worker_a, filters=MapFilters())
        ThemeFactory(slug="nieuw", name_nl="Nieuw thema", order=9)
        result = map_page(user=worker_a, filters=MapFilters())
        assert "nieuw" in counts(result, "themes")

    def test_counts_are_kept_per_scope(self, social_map, worker_a, region_b):
        from accounts.constants import Role
        from tests.factories import TeamFactory, UserFactory

        worker_b = UserFactory(role=Role.MEDEWERKER, team=TeamFactory(region=region_b))
        seen_a = map_page(user=worker_a, filters=MapFilters()).total
        seen_b = map_page(user=worker_b, filters=MapFilters()).total
        assert {r.slug for r in map_page(user=worker_b, filters=MapFilters()).resources} == {
            r.slug for r in Resource.objects.visible_to(worker_b)
        }
        assert seen_a == Resource.objects.visible_to(worker_a).count()
        assert seen_b == Resource.objects.visible_to(worker_b).count()


class RankingCacheTests:
    """A search's ranking is kept per content version, scope, filters and language
    (selectors._ranked_ids); what the worker sees is the same as when it is worked out."""

    def test_a_kept_ranking_reads_no_documents_and_ranks_the_same(self, social_map, worker_a):
        filters = MapFilters(query="spreekuur")
        first = map_page(user=worker_a, filters=filters)
        with CaptureQueriesContext(connection) as captured:
            again = map_page(user=worker_a, filters=filters)
        # The page's rows by id only: no read of the first matches with their documents.
        assert len(captured.captured_queries) == 1
        assert '"id" IN (' in captured.captured_queries[0]["sql"]
        assert [r.slug for r in again.resources] == [r.slug for r in first.resources]
        assert [r.slug for r in first.resources] == ["lokaal-a"]

    def test_a_save_ranks_again_at_once(self, social_map, worker_a):
        filters = MapFilters(query="fietsen")
        assert [r.slug for r in map_page(user=worker_a, filters=filters).resources] == ["fietsen"]
        lesson = social_map["resources"]["les"]
        lesson.title_nl = "Fietsen: een lespakket"
        resource_save(resource=lesson)
        ranked = [r.slug for r in map_page(user=worker_a, filters=filters).resources]
        assert set(ranked) == {"fietsen", "les"}

    def test_another_region_s_ranking_is_never_served(self, social_map, worker_a, region_b):
        from accounts.constants import Role
        from tests.factories import TeamFactory, UserFactory

        worker_b = UserFactory(role=Role.MEDEWERKER, team=TeamFactory(region=region_b))
        filters = MapFilters(query="spreekuur")
        assert [r.slug for r in map_page(user=worker_b, filters=filters).resources] == ["lokaal-b"]
        assert [r.slug for r in map_page(user=worker_a, filters=filters).resources] == ["lokaal-a"]

    def test_each_language_keeps_its_own_order(self, social_map, worker_a):
        filters = MapFilters(query="regio")
        dutch = map_page(user=worker_a, filters=filters, language="nl")
        english = map_page(user=worker_a, filters=filters, language="en")
        assert [r.slug for r in dutch.resources] == [r.slug for r in english.resources]
        from django.core.cache import caches

        from resources.selectors import RANKING_CACHE

        assert len(caches[RANKING_CACHE]._cache) == 2  # one ranking per language


class RelationTests:
    def test_relations_read_with_the_rows_equal_a_prefetch(self, social_map):
        fetched = list(
            Resource.objects.prefetch_related(*HANDOUT_PREFETCH, "professional_groups").order_by(
                "pk"
            )
        )
        attached = list(with_relation_ids(Resource.objects.order_by("pk")))
        with CaptureQueriesContext(connection) as captured:
            attach_relations(attached)
        assert len(captured.captured_queries) <= 5  # the vocabulary, once
        for one, other in zip(fetched, attached, strict=True):
            for name in ("themes", "audiences", "languages", "professional_groups"):
                assert [x.pk for x in getattr(one, name).all()] == [
                    x.pk for x in getattr(other, name).all()
                ], name
            assert [t.parent_id and t.parent.slug for t in other.themes.all()] == [
                t.parent_id and t.parent.slug for t in one.themes.all()
            ]

    def test_a_resource_without_relations_has_none(self, social_map):
        resource = social_map["resources"]["fietsen"]
        resource.audiences.clear()
        found = list(with_relation_ids(Resource.objects.filter(pk=resource.pk)))
        attach_relations(found)
        assert list(found[0].audiences.all()) == []
        assert not found[0].audiences.exists()
        assert Audience.objects.exists()


class CardCacheTests:
    """The map's cards are kept per map version, resource, heading level and language; only
    the handout checkbox is drawn per request (templates/resources/_resource_card.html)."""

    def test_a_saved_organisation_shows_its_new_name_on_the_cards(
        self, client, social_map, worker_a
    ):
        client.force_login(worker_a)
        assert "Wijkteam A" in client.get("/sociale-kaart/").content.decode()
        organisation = social_map["resources"]["fietsen"].organisation
        old_name = organisation.name_nl
        organisation.name_nl = "Buurtteam Noord"
        organisation.save()
        html = client.get("/sociale-kaart/").content.decode()
        assert "Buurtteam Noord" in html
        assert old_name not in html

    def test_each_language_keeps_its_own_cards(self, client, social_map, worker_a):
        from django.conf import settings

        client.force_login(worker_a)
        dutch = client.get("/sociale-kaart/").content.decode()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        english = client.get("/sociale-kaart/").content.decode()
        assert "Training, e-learning of cursus" in dutch
        assert "Training, e-learning or course" in english
        assert "Training, e-learning of cursus" not in english

    def test_the_checkbox_is_each_session_s_own(self, client, social_map, worker_a):
        import re

        from tests.factories import UserFactory

        client.force_login(worker_a)
        html = client.get("/sociale-kaart/").content.decode()
        uuid = re.search(r'name="chosen" value="([^"]+)"', html).group(1)
        client.post("/sociale-kaart/folder/kiezen/", {"shown": [uuid], "chosen": [uuid]})
        chosen = client.get("/sociale-kaart/").content.decode()
        assert f'value="{uuid}" id="pick-{uuid}" checked' in chosen

        colleague = UserFactory(role=worker_a.role, team=worker_a.team)
        client.force_login(colleague)
        theirs = client.get("/sociale-kaart/").content.decode()
        assert f'value="{uuid}" id="pick-{uuid}">' in theirs
        assert f'id="pick-{uuid}" checked' not in theirs


class OrganisationListsCacheTests:
    """An organisation page keeps the rendering of its materials and routes per map version,
    scope, organisation and language (templates/resources/organisation_detail.html): a warm
    page reads no routes, and a change or another scope never shows a stale or foreign
    entry."""

    def url(self, social_map):
        return social_map["organisations"]["national"].get_absolute_url()

    def test_a_warm_page_reads_no_routes(self, client, social_map, worker_a):
        client.force_login(worker_a)
        client.get(self.url(social_map))
        with CaptureQueriesContext(connection) as captured:
            html = client.get(self.url(social_map)).content.decode()
        assert "route-list" in html
        # Session and user (the login baseline), then the materials with the organisation.
        assert len(captured.captured_queries) == 3
        assert not any("referralroute" in q["sql"] for q in captured.captured_queries)

    def test_a_saved_route_shows_at_once(self, client, social_map, worker_a):
        client.force_login(worker_a)
        client.get(self.url(social_map))
        route = social_map["routes"]["national"]
        route.channel_nl = "Chat op woensdag"
        route.save()
        assert "Chat op woensdag" in client.get(self.url(social_map)).content.decode()

    def test_a_saved_material_shows_at_once(self, client, social_map, worker_a):
        client.force_login(worker_a)
        client.get(self.url(social_map))
        resource = social_map["resources"]["gesprek"]
        resource.title_nl = "Het Nieuwe Mediagesprek"
        resource_save(resource=resource)
        assert "Het Nieuwe Mediagesprek" in client.get(self.url(social_map)).content.decode()

    def test_another_region_s_route_never_shows(self, client, social_map, worker_a, region_b):
        from tests.factories import ReferralRouteFactory, TeamFactory, UserFactory

        ReferralRouteFactory(
            organisation=social_map["organisations"]["national"],
            region=region_b,
            channel_nl="Alleen in regio B",
        )
        worker_b = UserFactory(role=worker_a.role, team=TeamFactory(region=region_b))
        client.force_login(worker_b)
        assert "Alleen in regio B" in client.get(self.url(social_map)).content.decode()
        client.force_login(worker_a)
        assert "Alleen in regio B" not in client.get(self.url(social_map)).content.decode()
