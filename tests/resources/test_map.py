import pytest

from resources.selectors import MapFilters, map_page


def counts(result, facet):
    values = {}
    for item in result.facets[facet]:
        values[item.value] = item.count
        for child in item.children:
            values[child.value] = child.count
    return values


def titles(result):
    return [resource.title for resource in result.resources]


class FacetTests:
    def test_counts_without_filters(self, social_map, worker_a):
        result = map_page(user=worker_a, filters=MapFilters())
        assert result.total == 5
        themes = counts(result, "themes")
        assert themes["preventie"] == 4  # main theme counts its sub-themes
        assert themes["ouders"] == 3
        assert themes["onderwijs"] == 1
        assert themes["eer"] == 1
        assert counts(result, "audiences") == {
            "professionals": 2, "ouders": 3, "jongeren": 1, "onderwijs": 1,
        }  # fmt: skip
        assert counts(result, "languages") == {"nl": 5, "en": 2, "fr": 1, "tr": 1, "ar": 2}
        assert counts(result, "costs") == {"gratis": 1, "betaald": 1, "onbekend": 3}
        assert counts(result, "regions") == {"landelijk": 4, str(worker_a.region.pk): 1}
        assert counts(result, "groups") == {"wijkteams": 3, "leraren": 1}

    def test_combined_filters_and_the_counts_that_follow(self, social_map, worker_a):
        filters = MapFilters(audiences=("ouders",), languages=("ar",))
        result = map_page(user=worker_a, filters=filters)
        assert sorted(titles(result)) == ["Het Mediagesprek", "Spreekuur in regio A"]
        # Within a facet the values are alternatives: the language counts ignore the
        # language filter itself but respect the audience filter.
        assert counts(result, "languages") == {"nl": 3, "ar": 2, "en": 1, "fr": 1, "tr": 1}
        assert counts(result, "audiences")["professionals"] == 1

    def test_values_within_a_facet_are_alternatives(self, social_map, worker_a):
        result = map_page(user=worker_a, filters=MapFilters(kinds=("training", "factsheet")))
        assert sorted(titles(result)) == ["Factsheet meldcode", "Samen fietsen en praten"]

    def test_main_theme_filter_includes_sub_themes(self, social_map, worker_a):
        result = map_page(user=worker_a, filters=MapFilters(themes=("preventie",)))
        assert result.total == 4

    def test_region_filter(self, social_map, worker_a):
        own = MapFilters(regions=(str(worker_a.region.pk),))
        assert titles(map_page(user=worker_a, filters=own)) == ["Spreekuur in regio A"]
        national = map_page(user=worker_a, filters=MapFilters(regions=("landelijk",)))
        assert national.total == 4

    def test_results_are_grouped_by_theme_in_map_order(self, social_map, worker_a):
        result = map_page(user=worker_a, filters=MapFilters())
        order = [(main.slug, sub.slug if sub else None) for main, sub, _ in result.groups]
        assert order == [("preventie", "ouders"), ("preventie", "onderwijs"), ("eer", None)]


class MapPageTests:
    def test_map_shows_groups_facets_and_counts(self, client, social_map, worker_a):
        client.force_login(worker_a)
        html = client.get("/sociale-kaart/").content.decode()
        assert "<h1>Sociale kaart</h1>" in html
        assert '<h2 class="theme-heading">Preventieve aanpak</h2>' in html
        assert '<h3 class="subtheme-heading">Ouders</h3>' in html
        assert "5 materialen gevonden" in html
        assert 'id="f-taal-ar"' in html
        assert "<legend" in html

    def test_filters_live_in_the_url(self, client, social_map, worker_a):
        client.force_login(worker_a)
        html = client.get("/sociale-kaart/", {"taal": "ar", "doelgroep": "ouders"}).content.decode()
        assert "2 materialen gevonden" in html
        assert 'value="ar" id="f-taal-ar" checked' in html

    def test_search_gives_one_ranked_list(self, client, social_map, worker_a):
        client.force_login(worker_a)
        html = client.get("/sociale-kaart/", {"q": "spreekuur"}).content.decode()
        assert "1 materiaal gevonden" in html
        assert "theme-heading" not in html

    def test_bad_input_is_a_clear_error_not_a_500(self, client, social_map, worker_a):
        client.force_login(worker_a)
        for params in ({"taal": "xx"}, {"thema": "bestaat-niet"}, {"pagina": "abc"},
                       {"q": "x" * 500}, {"regio": "999"}):  # fmt: skip
            response = client.get("/sociale-kaart/", params)
            assert response.status_code == 200, params
            html = response.content.decode()
            assert "Deze filters kloppen niet" in html, params
            assert "5 materialen gevonden" in html

    def test_htmx_gets_only_the_results_region(self, client, social_map, worker_a):
        client.force_login(worker_a)
        response = client.get("/sociale-kaart/", {"taal": "ar"}, headers={"HX-Request": "true"})
        html = response.content.decode()
        assert html.startswith('<div id="map-app"')
        assert "HX-Request" in response["Vary"]
        assert "<html" not in html
        restore = client.get(
            "/sociale-kaart/",
            headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
        )
        assert "<html" in restore.content.decode()

    def test_htmx_is_configured_without_inline_styles(self, client, social_map, worker_a):
        client.force_login(worker_a)
        html = client.get("/sociale-kaart/").content.decode()
        assert '"includeIndicatorStyles":false' in html
        assert "vendor/htmx/htmx.min.js" in html
        assert " style=" not in html
        assert "<script>" not in html
        assert 'method="get"' in html

    def test_map_is_in_the_main_navigation_for_every_role(
        self, client, social_map, worker_a, coordinator_a, beheerder
    ):
        for user in (worker_a, coordinator_a, beheerder):
            client.force_login(user)
            html = client.get("/begrippen/").content.decode()
            assert 'href="/sociale-kaart/"' in html

    @pytest.mark.usefixtures("social_map")  # shares the class's map; does not need it
    def test_coordinator_home_links_to_the_review_list(self, client, coordinator_a):
        client.force_login(coordinator_a)
        html = client.get("/coordinatie/").content.decode()
        assert 'href="/sociale-kaart/te-controleren/"' in html


class DetailPageTests:
    def test_resource_page_shows_everything_and_its_routes(self, client, social_map, worker_a):
        client.force_login(worker_a)
        html = client.get("/sociale-kaart/materiaal/gesprek/").content.decode()
        assert "<h1>Het Mediagesprek</h1>" in html
        assert "Arabisch" in html and "Turks" in html
        assert "Voorlichting in de eigen taal" in html
        assert 'href="https://gesprek.example.org/"' in html
        assert "Preventieve aanpak → Ouders" in html

    def test_organisation_page_lists_resources_and_routes(self, client, social_map, worker_a):
        client.force_login(worker_a)
        html = client.get("/sociale-kaart/organisaties/org-a/").content.decode()
        assert "Spreekuur in regio A" in html
        assert 'href="tel:0101234567"' in html

    def test_archived_resource_is_not_listed_on_its_organisation(
        self, client, social_map, worker_a
    ):
        client.force_login(worker_a)
        html = client.get("/sociale-kaart/organisaties/landelijk-org/").content.decode()
        assert "Het Mediagesprek" in html
        assert "Oud materiaal" not in html
        assert "Nog niet af" not in html

    def test_confidential_address_is_never_shown(self, client, social_map, worker_a):
        organisation = social_map["organisations"]["a"]
        organisation.visiting_address = "Geheimstraat 1"
        organisation.address_confidential = True
        organisation.save()
        client.force_login(worker_a)
        html = client.get("/sociale-kaart/organisaties/org-a/").content.decode()
        assert "Geheimstraat" not in html
        assert "Het adres is vertrouwelijk" in html

    def test_markdown_is_sanitised(self, client, social_map, worker_a):
        resource = social_map["resources"]["fietsen"]
        resource.description_nl = "Kijk <script>alert(1)</script> [link](javascript:alert(2))"
        resource.save()
        client.force_login(worker_a)
        html = client.get("/sociale-kaart/materiaal/fietsen/").content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "javascript:alert(2)" not in html
