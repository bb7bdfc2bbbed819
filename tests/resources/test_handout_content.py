"""The real social map in a parent handout: every entry that may go into one has a text for
parents, and no handout, in any of its languages, names what it must not or prints a
professional's text. The content is loaded once for this module (read-only tests)."""

import re
from html import unescape

import pytest
from django.conf import settings
from django.db import transaction

from resources.content import load
from resources.handout import SESSION_KEY, handout_refusal, route_refusal
from resources.models import Organisation, ReferralRoute, Resource
from resources.parent_wording import forbidden_words
from resources.selectors import HANDOUT_PREFETCH
from tests.factories import UserFactory

LANGUAGES = ("nl", "en", "tr", "ar")


@pytest.fixture(scope="module")
def content(django_db_setup, django_db_blocker):
    """The social map of fixtures/content, loaded once and rolled back after the module."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            load(settings.CONTENT_DIR)
            resources = list(
                Resource.objects.select_related("organisation").prefetch_related(*HANDOUT_PREFETCH)
            )
            yield {
                "resources": resources,
                "routes": list(
                    ReferralRoute.objects.select_related("organisation", "resource").order_by(
                        "slug"
                    )
                ),
            }
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _for_parents(resource) -> bool:
    themes = {t.slug for t in resource.themes.all()} | {
        t.parent.slug for t in resource.themes.all() if t.parent_id
    }
    audiences = {a.code for a in resource.audiences.all()}
    return "ouders" in audiences and "eergerelateerd-geweld" not in themes


def _handout_able(content):
    resources = [r for r in content["resources"] if handout_refusal(r) is None]
    ok_ids = {r.pk for r in resources}
    ok_orgs = {r.organisation_id for r in resources}
    routes = [
        route
        for route in content["routes"]
        if (
            route.resource_id in ok_ids
            or (route.resource_id is None and route.organisation_id in ok_orgs)
        )
        and route_refusal(route, resource_ok=True) is None
    ]
    return resources, routes


def _text(html: str) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", body)))


def _plain(markdown_text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[*_`#>\[\]]", "", markdown_text or "")).strip()


class ParentTextTests:
    def test_every_entry_for_parents_has_a_text_for_parents_in_dutch_and_english(self, db, content):
        for_parents = [r for r in content["resources"] if _for_parents(r)]
        assert len(for_parents) >= 29
        for resource in for_parents:
            assert resource.parent_text_nl.strip(), resource.slug
            assert resource.parent_text_en.strip(), resource.slug
            assert handout_refusal(resource) is None, resource.slug
            assert resource.parent_text_nl != resource.description_nl, resource.slug
        resources, routes = _handout_able(content)
        assert {r.slug for r in resources} == {r.slug for r in for_parents}
        assert len(routes) >= 14
        for route in routes:
            assert route.parent_text_nl.strip() and route.parent_text_en.strip(), route.slug

    def test_professional_and_honour_entries_never_go_into_a_handout(self, db, content):
        by_slug = {r.slug: r for r in content["resources"]}
        for slug in (
            "veilig-thuis-advies-en-melding",
            "movisie-factsheet-meldcode-eergerelateerd-geweld",
            "kis-brochure-praten-over-sexting-misbruik",
            "om-aanwijzing-kinderpornografie",
        ):
            assert handout_refusal(by_slug[slug]) is not None, slug
        for route in content["routes"]:
            if route.situation in ("eergerelateerd-geweld", "acuut-gevaar"):
                assert route_refusal(route, resource_ok=True) is not None, route.slug


class ForbiddenWordsTests:
    def test_no_handout_names_what_it_must_not_or_prints_professional_text(
        self, client, db, content
    ):
        """Each entry that may go into a handout, alone in one, in every handout language;
        then all of them together."""
        client.force_login(UserFactory())
        resources, routes = _handout_able(content)
        professional = [
            _plain(text)
            for resource in content["resources"]
            for text in (resource.description_nl, resource.description_en)
        ]
        professional += [
            _plain(text)
            for route in content["routes"]
            for text in (route.conditions_nl, route.conditions_en)
            if text
        ]
        professional += [
            _plain(text)
            for organisation in Organisation.objects.all()
            for text in (organisation.description_nl, organisation.description_en)
            if text
        ]
        selections = [[r] for r in resources] + [resources]
        printed_routes = set()
        for selection in selections:
            session = client.session
            session[SESSION_KEY] = [str(r.uuid) for r in selection]
            session.save()
            for language in LANGUAGES:
                response = client.get("/sociale-kaart/folder/afdrukken/", {"taal": language})
                assert response.status_code == 200
                html = response.content.decode()
                text = _text(html)
                where = f"{[r.slug for r in selection][:3]} in {language}"
                assert html.count('class="handout-item"') == len(selection), where
                assert forbidden_words(text) == [], where
                for sentence in professional:
                    assert sentence[:60] not in text, (where, sentence[:60])
                for route in routes:
                    if route.parent_text_nl in text or route.parent_text_en in text:
                        printed_routes.add(route.slug)
        # Every route that may be printed was printed somewhere above.
        assert printed_routes == {route.slug for route in routes}

    def test_the_list_finds_what_it_should(self):
        assert forbidden_words("Bij (vermoedens van) eergerelateerd geweld") == [
            "eergerelateerd",
            "vermoeden",
        ]
        assert forbidden_words("Vraag Veilig Thuis-advies") == ["Veilig Thuis"]
        assert forbidden_words("eer- en schaamtecultuur") == ["eer", "schaamtecultuur"]
        assert forbidden_words("Honour-related violence: report signals") == [
            "honour",
            "report",
            "signals",
        ]
        assert forbidden_words("De melding en de signalen van deze casus") == [
            "melding",
            "signalen",
            "casus",
        ]
        # Ordinary words that only look alike are not flagged.
        assert forbidden_words("Eerst eerlijk praten; een meldpunt; Meldknop.nl") == []


class LanguageFilterTests:
    def test_turkish_material_is_found_by_the_language_filter(self, client, db, content):
        client.force_login(UserFactory())
        html = client.get("/sociale-kaart/", {"taal": "tr"}).content.decode()
        assert "Het Mediagesprek" in html
        mediagesprek = next(r for r in content["resources"] if r.slug == "mediagesprek")
        assert f'id="pick-{mediagesprek.uuid}"' in html  # and it can go into the handout

    def test_a_turkish_handout_of_the_mediagesprek_says_it_exists_in_turkish(
        self, client, db, content
    ):
        client.force_login(UserFactory())
        mediagesprek = next(r for r in content["resources"] if r.slug == "mediagesprek")
        session = client.session
        session[SESSION_KEY] = [str(mediagesprek.uuid)]
        session.save()
        html = client.get("/sociale-kaart/folder/afdrukken/", {"taal": "tr"}).content.decode()
        assert "Bu materyal sizin dilinizde var." in html
        assert "Het Mediagesprek gaat over media in de opvoeding." in html
