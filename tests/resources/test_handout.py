import io

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from resources.handout import SESSION_KEY, Refusal, handout_refusal
from resources.models import Audience, Resource
from resources.selectors import HANDOUT_PREFETCH, resources_for_parents
from resources.services import resource_save
from tests.factories import ReferralRouteFactory, ResourceFactory


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
        assert '<html lang="nl" dir="ltr">' in html
        assert "Informatie voor u als ouder" in html
        assert "Het Mediagesprek" in html
        assert "Samen fietsen en praten" in html
        assert "Lespakket" not in html
        assert html.count('<svg role="img"') == 2
        assert "https://gesprek.example.org/" in html  # the referral route's contact
        assert "Acuut gevaar? Bel 112." in html

    def test_english_handout_falls_back_to_dutch_where_not_written(self, client, picked):
        fietsen = picked["fietsen"]
        fietsen.parent_text_en = ""
        fietsen.save()
        html = client.get("/sociale-kaart/folder/afdrukken/", {"taal": "en"}).content.decode()
        assert '<html lang="en" dir="ltr">' in html
        assert "Het Mediagesprek (en)" in html
        assert "About Het Mediagesprek (en), for you as a parent." in html
        assert '<div class="handout-parent-text" lang="nl" dir="ltr"><p>Over Samen fietsen' in html
        assert html.count("This explanation is given here in Dutch.") == 1
        assert "Samen fietsen en praten (en)" in html

    def test_the_professional_description_is_never_printed(self, client, picked):
        html = client.get("/sociale-kaart/folder/afdrukken/").content.decode()
        assert "Een ouderavond waarbij ouders samen fietsen." not in html
        assert "legt iets uit" not in html
        assert "Over Samen fietsen en praten, voor u als ouder." in html

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
        assert 'class="handout-sheet" lang="nl" dir="ltr"' in response.content.decode()
        assert "Kies een taal uit de lijst" in response.content.decode()

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


class HandoutLanguageTests:
    def test_turkish_handout_is_turkish_and_says_where_it_falls_back(self, client, picked):
        html = client.get("/sociale-kaart/folder/afdrukken/", {"taal": "tr"}).content.decode()
        assert '<html lang="tr" dir="ltr">' in html
        assert "<title>Ebeveynler için bilgiler</title>" in html
        assert "Acil tehlike mi var? 112'yi arayın." in html
        assert "Informatie voor u als ouder" not in html
        # Content is written in Dutch and English only: Dutch, marked, with a Turkish note.
        assert '<h2 class="handout-item-title" lang="nl" dir="ltr">Het Mediagesprek</h2>' in html
        assert html.count("Bu açıklama burada Hollandaca yazılmıştır.") == 3  # 2 items, 1 route
        # The Mediagesprek exists in Turkish; the bike evening only in Dutch.
        assert html.count("Bu materyal sizin dilinizde var.") == 1
        assert html.count("Bu materyal sizin dilinizde yok, ama Hollandaca var.") == 1

    def test_arabic_handout_is_right_to_left_with_dutch_items_left_to_right(self, client, picked):
        html = client.get("/sociale-kaart/folder/afdrukken/", {"taal": "ar"}).content.decode()
        assert '<html lang="ar" dir="rtl">' in html
        assert 'class="handout-sheet" lang="ar" dir="rtl"' in html
        assert "<title>معلومات للوالدين</title>" in html
        assert (
            '<div class="handout-parent-text" lang="nl" dir="ltr"><p>Over Het Mediagesprek' in html
        )
        assert html.count("هذا الشرح مكتوب هنا باللغة الهولندية.") == 3  # 2 items, 1 route
        assert '<bdi dir="ltr">https://gesprek.example.org/</bdi>' in html

    def test_the_case_language_is_preselected(self, client, picked):
        html = client.get("/sociale-kaart/folder/", {"taal": "ar"}).content.decode()
        assert '<option value="ar" selected>' in html
        assert 'class="handout-sheet" lang="ar" dir="rtl"' in html
        assert "<h1>Folder voor ouders</h1>" in html  # the worker's page stays Dutch

    def test_a_language_nobody_wrote_gets_a_message_not_a_silent_dutch_handout(
        self, client, picked
    ):
        response = client.get("/sociale-kaart/folder/", {"taal": "pl"})
        assert response.status_code == 200
        html = response.content.decode()
        assert "Er is nog geen folder in het Pools." in html
        assert 'class="handout-sheet" lang="nl" dir="ltr"' in html

    def test_print_and_pdf_in_a_language_nobody_wrote_go_back_to_the_message(self, client, picked):
        for path in ("/sociale-kaart/folder/afdrukken/", "/sociale-kaart/folder/pdf/"):
            response = client.get(path, {"taal": "pl"})
            assert response.status_code == 302
            assert response.url == "/sociale-kaart/folder/?taal=pl"

    def test_over_long_language_codes_are_an_error(self, client, picked):
        response = client.get("/sociale-kaart/folder/", {"taal": "x" * 500})
        assert response.status_code == 200
        assert 'class="handout-sheet" lang="nl"' in response.content.decode()


class HandoutRuleTests:
    def test_material_without_parent_text_cannot_be_added(self, client, picked):
        bare = ResourceFactory(audiences=["ouders"], parent_text_nl="", parent_text_en="")
        uuid = str(bare.uuid)
        response = client.post(
            "/sociale-kaart/folder/kiezen/", {"shown": [uuid], "chosen": [uuid]}, follow=True
        )
        assert uuid not in client.session[SESSION_KEY]
        assert (
            f"‘{bare.title_nl}’ kan niet in de folder voor ouders: er is nog geen tekst voor "
            "ouders bij geschreven." in response.content.decode()
        )

    def test_htmx_pick_says_why_material_was_refused(self, client, picked):
        uuid = str(picked["les"].uuid)
        response = client.post(
            "/sociale-kaart/folder/kiezen/",
            {"shown": [uuid], "chosen": [uuid]},
            headers={"HX-Request": "true"},
        )
        html = response.content.decode()
        assert 'role="alert"' in html
        assert "het is voor professionals, niet voor ouders" in html
        assert "2 materialen" in html

    def test_honour_material_never_goes_in_even_with_a_parent_text(self, client, picked):
        honour = picked["eer"]
        honour.audiences.add(Audience.objects.get(code="ouders"))
        uuid = str(honour.uuid)
        client.post("/sociale-kaart/folder/kiezen/", {"shown": [uuid], "chosen": [uuid]})
        assert uuid not in client.session[SESSION_KEY]

    def test_a_crafted_session_never_prints_refused_material(self, client, picked):
        session = client.session
        session[SESSION_KEY] = [str(picked["les"].uuid), str(picked["eer"].uuid)]
        session.save()
        html = client.get("/sociale-kaart/folder/afdrukken/").content.decode()
        assert "Lespakket" not in html
        assert "Factsheet meldcode" not in html
        assert "nog geen materiaal" in html

    def test_honour_and_acute_routes_never_print(self, client, picked):
        national = picked["gesprek"].organisation
        ReferralRouteFactory(
            organisation=national, situation="eergerelateerd-geweld", contact="0900-8844"
        )
        ReferralRouteFactory(organisation=national, situation="acuut-gevaar", contact="0900-1111")
        ReferralRouteFactory(organisation=national, parent_text_nl="", contact="0900-2222")
        html = client.get("/sociale-kaart/folder/afdrukken/").content.decode()
        assert "0900-8844" not in html
        assert "0900-1111" not in html
        assert "0900-2222" not in html
        assert "https://gesprek.example.org/" in html

    def test_route_conditions_are_never_printed(self, client, picked):
        ReferralRouteFactory(
            organisation=picked["gesprek"].organisation,
            conditions_nl="Alleen na overleg met de aandachtsfunctionaris.",
        )
        html = client.get("/sociale-kaart/folder/afdrukken/").content.decode()
        assert "aandachtsfunctionaris" not in html
        assert "Hier krijgt u hulp." in html

    @pytest.mark.usefixtures("social_map")  # shares the class's map; does not need it
    def test_a_parent_text_naming_forbidden_words_cannot_be_saved(self, db):
        resource = ResourceFactory(audiences=["ouders"])
        resource.parent_text_nl = "Na de melding bij Veilig Thuis kunt u hier terecht."
        resource.parent_text_en = "About honour and signals."
        with pytest.raises(ValidationError) as error:
            resource_save(resource=resource)
        assert "melding" in str(error.value.message_dict["parent_text_nl"])
        assert "Veilig Thuis" in str(error.value.message_dict["parent_text_nl"])
        assert "honour" in str(error.value.message_dict["parent_text_en"])

    @pytest.mark.usefixtures("social_map")  # shares the class's map; does not need it
    def test_material_whose_title_names_a_forbidden_word_is_refused(self, db):
        resource = ResourceFactory(
            audiences=["ouders"],
            title_nl="Signalen herkennen",
            parent_text_nl="Uitleg voor u als ouder.",
            parent_text_en="An explanation for you as a parent.",
        )
        resource = Resource.objects.prefetch_related(*HANDOUT_PREFETCH).get(pk=resource.pk)
        assert handout_refusal(resource) == Refusal.WORDING

    def test_the_map_says_why_material_cannot_go_into_the_handout(self, client, picked):
        html = client.get("/sociale-kaart/").content.decode()
        assert f'id="pick-{picked["les"].uuid}"' not in html
        assert f'id="pick-{picked["gesprek"].uuid}"' in html
        assert (
            "Niet voor de folder voor ouders: het is voor professionals, niet voor ouders." in html
        )

    def test_the_case_plan_only_offers_material_that_may_go_into_a_handout(self, picked, worker_a):
        bare = ResourceFactory(
            audiences=["ouders"], languages=["tr"], parent_text_nl="", parent_text_en=""
        )
        found = resources_for_parents(user=worker_a, languages=["tr"])
        assert picked["gesprek"] in found
        assert bare not in found

    def test_kept_parents_material_costs_no_query_and_follows_a_save(self, picked, worker_a):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from resources.services import resource_save

        first = resources_for_parents(user=worker_a, languages=["tr"])
        with CaptureQueriesContext(connection) as captured:
            again = resources_for_parents(user=worker_a, languages=["tr"])
            # What the plan shows of each is read with it (no deferred column left behind).
            shown = [(r.uuid, r.title, r.url, r.organisation.name) for r in again]
        assert len(captured.captured_queries) == 0
        assert again == first and again is not first and again[0] is not first[0]
        assert shown == [(r.uuid, r.title, r.url, r.organisation.name) for r in first]
        assert [r.languages.all()[0].code for r in again] == [
            r.languages.all()[0].code for r in first
        ]  # the relations come along as before

        gesprek = picked["gesprek"]
        gesprek.parent_text_nl = ""
        resource_save(resource=gesprek)
        assert gesprek not in resources_for_parents(user=worker_a, languages=["tr"])


class ArabicPdfTests:
    def test_arabic_pdf_has_the_arabic_sentences_and_the_dutch_items(self, client, picked):
        response = client.get("/sociale-kaart/folder/pdf/", {"taal": "ar"})
        assert response.status_code == 200
        reader = PdfReader(io.BytesIO(response.content))
        text = "\n".join(page.extract_text() for page in reader.pages)
        # Arabic glyphs were drawn from a font that has them (text extraction gets the
        # characters back only then), in reading order.
        assert "معلومات للوالدين" in text
        assert "هل هناك خطر فوري؟ اتصلوا بالرقم" in text  # "112" may move in extraction
        assert "Het Mediagesprek" in text
        assert "Over Samen fietsen en praten, voor u als ouder." in text
        fonts = {
            str(font.get_object()["/BaseFont"])
            for page in reader.pages
            for font in page["/Resources"]["/Font"].values()
        }
        assert any("DejaVu" in name for name in fonts), fonts


class AdminTests:
    def test_the_back_office_edits_the_parent_text_in_both_languages(self, client, beheerder):
        resource = ResourceFactory(audiences=["ouders"])
        route = ReferralRouteFactory()
        client.force_login(beheerder)
        for url in (
            f"/beheer/resources/resource/{resource.pk}/change/",
            f"/beheer/resources/referralroute/{route.pk}/change/",
        ):
            html = client.get(url).content.decode()
            assert 'name="parent_text_nl"' in html
            assert 'name="parent_text_en"' in html
