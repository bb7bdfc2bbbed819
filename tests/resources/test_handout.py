import pytest

from resources.handout import SESSION_KEY
from tests.factories import ReferralRouteFactory


@pytest.fixture
def picked(client, social_map, worker_a):
    """The worker picked the Mediagesprek and the bike evening on the map."""
    client.force_login(worker_a)
    resources = social_map["resources"]
    shown = [str(resources[key].uuid) for key in ("gesprek", "fietsen", "les")]
    response = client.post(
        "/sociale-kaart/folder/kiezen/",
        {
            "shown": shown,
            "chosen": shown[:2],
            "next": "/sociale-kaart/?taal=ar",
        },
    )
    assert response.status_code == 302
    assert response.url == "/sociale-kaart/?taal=ar"
    return resources


class PickTests:
    def test_ticked_resources_are_kept_in_the_session_as_ids_only(self, client, picked):
        assert client.session[SESSION_KEY] == [
            str(picked["gesprek"].uuid),
            str(picked["fietsen"].uuid),
        ]

    def test_unticking_removes_and_others_stay(self, client, picked):
        client.post(
            "/sociale-kaart/folder/kiezen/",
            {"shown": [str(picked["gesprek"].uuid)], "chosen": []},
        )
        assert client.session[SESSION_KEY] == [str(picked["fietsen"].uuid)]

    def test_resources_the_worker_may_not_see_are_never_added(self, client, picked):
        hidden = [str(picked[key].uuid) for key in ("b", "archief", "concept")]
        client.post(
            "/sociale-kaart/folder/kiezen/",
            {"shown": hidden + ["geen-uuid"], "chosen": hidden + ["geen-uuid"]},
        )
        assert len(client.session[SESSION_KEY]) == 2

    def test_offsite_next_is_not_followed(self, client, picked):
        response = client.post(
            "/sociale-kaart/folder/kiezen/", {"next": "https://evil.example/", "shown": []}
        )
        assert response.url == "/sociale-kaart/"

    def test_htmx_gets_the_counter(self, client, picked):
        response = client.post(
            "/sociale-kaart/folder/kiezen/",
            {"shown": [], "chosen": []},
            headers={"HX-Request": "true"},
        )
        assert 'id="handout-status"' in response.content.decode()
        assert "2 materialen" in response.content.decode()

    def test_the_map_shows_the_ticks(self, client, picked):
        html = client.get("/sociale-kaart/").content.decode()
        uuid = picked["gesprek"].uuid
        assert f'value="{uuid}" id="pick-{uuid}" checked' in html

    def test_emptying(self, client, picked):
        client.post("/sociale-kaart/folder/leegmaken/")
        assert SESSION_KEY not in client.session


class HandoutTests:
    def test_dutch_handout(self, client, picked):
        html = client.get("/sociale-kaart/folder/afdrukken/").content.decode()
        assert '<html lang="nl">' in html
        assert "Informatie voor u als ouder" in html
        assert "Het Mediagesprek" in html
        assert "Samen fietsen en praten" in html
        assert "Lespakket" not in html
        assert html.count('<svg role="img"') == 2
        assert "https://gesprek.example.org/" in html  # the referral route's contact
        assert "Acuut gevaar? Bel 112." in html

    def test_english_handout_falls_back_to_dutch_where_not_written(self, client, picked):
        fietsen = picked["fietsen"]
        fietsen.description_en = ""
        fietsen.save()
        html = client.get("/sociale-kaart/folder/afdrukken/", {"taal": "en"}).content.decode()
        assert '<html lang="en">' in html
        assert "Het Mediagesprek (en)" in html
        assert "Het Mediagesprek (en) explains something." in html
        assert '<div class="handout-description" lang="nl"><p>Een ouderavond' in html
        assert "Samen fietsen en praten (en)" in html

    def test_nothing_about_a_case_or_the_worker(self, client, picked, worker_a):
        html = client.get("/sociale-kaart/folder/afdrukken/").content.decode()
        assert worker_a.email not in html
        assert worker_a.display_name not in html

    def test_pdf(self, client, picked):
        response = client.get("/sociale-kaart/folder/pdf/", {"taal": "en"})
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        assert "handout-for-parents.pdf" in response["Content-Disposition"]

    def test_handout_page_with_language_choice(self, client, picked):
        html = client.get("/sociale-kaart/folder/", {"taal": "en"}).content.decode()
        assert "<h1>Folder voor ouders</h1>" in html
        assert 'lang="en"' in html
        assert "Weghalen" in html

    def test_unknown_language_is_an_error_and_falls_back_to_dutch(self, client, picked):
        response = client.get("/sociale-kaart/folder/", {"taal": "xx"})
        assert response.status_code == 200
        assert 'class="handout-sheet" lang="nl"' in response.content.decode()
        assert "Selecteer een geldige keuze" in response.content.decode()

    def test_empty_handout(self, client, worker_a, social_map):
        client.force_login(worker_a)
        assert "nog geen materiaal" in client.get("/sociale-kaart/folder/").content.decode()
        assert client.get("/sociale-kaart/folder/pdf/").status_code == 200

    def test_archived_after_picking_disappears(self, client, picked):
        picked["fietsen"].status = "gearchiveerd"
        picked["fietsen"].save()
        html = client.get("/sociale-kaart/folder/afdrukken/").content.decode()
        assert "Samen fietsen" not in html

    def test_routes_to_the_organisation_appear(self, client, picked):
        ReferralRouteFactory(
            organisation=picked["gesprek"].organisation, contact="0800-2000", channel_nl="bellen"
        )
        html = client.get("/sociale-kaart/folder/afdrukken/").content.decode()
        assert "0800-2000" in html
