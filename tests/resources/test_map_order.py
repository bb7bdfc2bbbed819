"""The map pages, orders and counts in the database: stored map order, SQL search score,
capped counts."""

import pytest

import resources.selectors
from resources.models import Resource
from resources.search import query_words, rank
from resources.selectors import MapFilters, map_page
from resources.services import theme_save
from tests.factories import ResourceFactory, ThemeFactory


class MapOrderTests:
    def test_the_stored_order_follows_the_themes_and_the_title(self, db, worker):
        first = ThemeFactory(slug="eerste", name_nl="Eerste", order=1)
        second = ThemeFactory(slug="tweede", name_nl="Tweede", order=2)
        ResourceFactory(slug="b", title_nl="Bèta", themes=[second])
        ResourceFactory(slug="a", title_nl="alfa", themes=[second])
        ResourceFactory(slug="z", title_nl="Zeta", themes=[first])
        ResourceFactory(slug="geen", title_nl="Aap")
        result = map_page(user=worker, filters=MapFilters())
        assert [r.slug for r in result.resources] == ["z", "a", "b", "geen"]
        assert [main.slug if main else None for main, _, _ in result.groups] == [
            "eerste",
            "tweede",
            None,
        ]

    def test_reordering_the_themes_reorders_the_map(self, db, worker):
        first = ThemeFactory(slug="eerste", name_nl="Eerste", order=1)
        second = ThemeFactory(slug="tweede", name_nl="Tweede", order=2)
        ResourceFactory(slug="een", themes=[first])
        ResourceFactory(slug="twee", themes=[second])
        first.order = 3
        theme_save(theme=first)
        result = map_page(user=worker, filters=MapFilters())
        assert [r.slug for r in result.resources] == ["twee", "een"]

    def test_english_orders_by_the_english_title(self, db, worker):
        ResourceFactory(slug="x", title_nl="Aardig", title_en="Zebra")
        ResourceFactory(slug="y", title_nl="Zomer", title_en="Apple")
        nl = map_page(user=worker, filters=MapFilters(), language="nl")
        en = map_page(user=worker, filters=MapFilters(), language="en")
        assert [r.slug for r in nl.resources] == ["x", "y"]
        assert [r.slug for r in en.resources] == ["y", "x"]


class SearchScoreTests:
    @pytest.mark.parametrize("query", ["fietsen", "ouders fiets", "fietsen avond", "wijkteam"])
    def test_the_database_score_orders_as_the_python_score(self, db, worker, query):
        org = ResourceFactory(slug="o", title_nl="Iets", description_nl="Niets.").organisation
        org.name_nl = "Wijkteam Fietsen"
        org.save()
        ResourceFactory(slug="t", title_nl="Fietsen met ouders", description_nl="Een avond.")
        ResourceFactory(slug="m", title_nl="Samen fietsen", description_nl="Voor ouders.")
        ResourceFactory(slug="d", title_nl="Avond", description_nl="Over fietsen en ouders.")
        ResourceFactory(slug="s", title_nl="Ouderavond", description_nl="Fietsen.")
        from resources.services import resources_refresh_search_documents

        resources_refresh_search_documents(resources=Resource.objects.all())
        result = map_page(user=worker, filters=MapFilters(query=query))
        words = query_words(query)
        expected = sorted(
            Resource.objects.filter(pk__in=[r.pk for r in result.resources]),
            key=lambda r: (-rank(r.search_document, words), r.sort_title_nl, r.pk),
        )
        assert [r.slug for r in result.resources] == [r.slug for r in expected]
        assert result.resources


class CountCapTests:
    def test_a_large_count_is_capped_and_says_so(self, client, db, worker, monkeypatch):
        monkeypatch.setattr(resources.selectors, "COUNT_CAP", 3)
        for n in range(5):
            ResourceFactory(slug=f"r{n}")
        result = map_page(user=worker, filters=MapFilters())
        assert result.capped and result.total == 3
        client.force_login(worker)
        html = client.get("/sociale-kaart/").content.decode()
        assert "3+ materialen gevonden" in html

    def test_a_small_count_is_exact(self, db, worker):
        for n in range(3):
            ResourceFactory(slug=f"r{n}")
        result = map_page(user=worker, filters=MapFilters())
        assert not result.capped and result.total == 3
