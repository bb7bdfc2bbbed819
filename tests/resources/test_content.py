import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from accounts.services import DEMO_REGION
from resources.constants import Situation
from resources.content import load as load_social_map
from resources.models import Organisation, ReferralRoute, Resource, Theme
from tests.content_checks import SOURCE_CODE, old_article_cited_as_current
from tests.shared import shared_rows

NAMED = [
    "KIS", "Movisie", "Pharos", "Rutgers", "Halt", "Chris", "WISEducatie", "NJi",
    "MediaDiamant", "Act4Respect", "Bureau Jeugd en Media", "Geloofwaardig Opvoeden",
    "Youth for Christ", "Internet Matters", "Trias Pedagogica", "KPN", "Kliksafe",
    "MediaWijsheid", "Fonds Slachtofferhulp", "Slachtofferhulp Nederland", "Meldknop",
    "Helpwanted", "Veilige Kerk", "Politie", "Veilig Thuis", "LEC EGG",
    "Consortium Zelfbeschikking", "Zin in Utrecht", "Internet Watch Foundation",
]  # fmt: skip


def snapshot():
    return (
        sorted(
            Resource.objects.values_list(
                "slug", "uuid", "title_nl", "search_document", "parent_text_nl", "parent_text_en"
            )
        ),
        sorted(Resource.themes.through.objects.values_list("resource_id", "theme_id")),
        sorted(Resource.languages.through.objects.values_list("resource_id", "language_id")),
        sorted(
            ReferralRoute.objects.values_list(
                "slug", "organisation_id", "resource_id", "parent_text_nl", "parent_text_en"
            )
        ),
        Organisation.objects.count(),
    )


class SocialMapContentTests:
    def test_the_overview_map_is_loaded_in_dutch_and_english(self, db, content):
        assert Resource.objects.published().count() >= 55
        assert Organisation.objects.published().count() >= 30
        names = " ".join(Organisation.objects.values_list("name_nl", flat=True))
        for name in NAMED:
            assert name in names, name
        for resource in Resource.objects.all():
            assert resource.title_nl and resource.title_en, resource.slug
            assert resource.description_nl and resource.description_en, resource.slug
            assert resource.themes.exists(), resource.slug
        main = Theme.objects.filter(parent__isnull=True).count()
        assert main == 6
        assert Theme.objects.get(slug="preventieve-aanpak").children.count() == 4

    def test_mediagesprek_exists_in_five_languages_with_a_text_for_parents(self, db, content):
        mediagesprek = Resource.objects.get(slug="mediagesprek")
        codes = set(mediagesprek.languages.values_list("code", flat=True))
        assert codes == {"nl", "en", "fr", "tr", "ar"}
        assert mediagesprek.parent_text_nl.startswith("Het Mediagesprek gaat over media")
        assert mediagesprek.parent_text_en.startswith("The Mediagesprek (media conversation)")
        route = ReferralRoute.objects.get(slug="voorlichting-eigen-taal-mediagesprek")
        assert route.parent_text_nl.startswith("Over media in de opvoeding")

    def test_demo_entries_are_created_in_the_demo_region(self, db, content):
        demo = Organisation.objects.filter(region__name=DEMO_REGION)
        assert demo.count() >= 3
        assert all("voorbeeld" in o.name_nl for o in demo)
        assert ReferralRoute.objects.filter(region__name=DEMO_REGION).exists()

    def test_loading_twice_changes_nothing(self, db, content):
        before = snapshot()
        call_command("load_content", verbosity=0)
        assert snapshot() == before

    def test_referral_routes_cover_the_required_situations(self, db, content):
        situations = set(ReferralRoute.objects.values_list("situation", flat=True))
        assert {
            "beelden-verwijderen", "melding-aangifte", "eergerelateerd-geweld",
            "steun-slachtoffer", "jeugdige-pleger", "religieuze-vragen",
            "voorlichting-eigen-taal", "acuut-gevaar",
        } <= situations  # fmt: skip
        assert ReferralRoute.objects.filter(contact="0800-2000").exists()


PARENT_FORBIDDEN = [
    "eergerelateerd", "eer", "veilig thuis", "signaal", "signalen", "casus", "screening",
    "honour", "signal", "case",
]  # fmt: skip


def fixture_entries(kind: str) -> list[dict]:
    path = Path(settings.CONTENT_DIR) / "social_map.json"
    return json.loads(path.read_text(encoding="utf-8"))[kind]


@pytest.fixture(scope="class")
def _map_rows(django_db_setup, django_db_blocker):
    with shared_rows(django_db_blocker):
        load_social_map(settings.CONTENT_DIR)
        yield


@pytest.fixture
def loaded_map(db, _map_rows):
    """The social map as load_content loads it (its own loader only, which is quicker), loaded
    once per class: the tests only read it, and what one changes is rolled back after it."""


class SocialMapCorrectionTests:
    """Issue 9: the content checked against the seeds, in Dutch and English."""

    def test_113_suicide_prevention_is_an_organisation_a_resource_and_a_route(self, loaded_map):
        organisation = Organisation.objects.published().get(slug="113-zelfmoordpreventie")
        assert organisation.phone == "0800-0113"
        assert organisation.website == "https://www.113.nl/"
        resource = Resource.objects.published().get(slug="113-hulplijn")
        assert resource.organisation == organisation
        for text in (resource.description_nl, resource.description_en):
            assert "113" in text and "0800-0113" in text
        route = ReferralRoute.objects.get(slug="zelfdoding-113")
        assert route.situation == Situation.ZELFDODING
        assert (route.contact, route.resource, route.region) == ("0800-0113", resource, None)
        assert route.get_situation_display() == "Gedachten aan zelfdoding"
        with translation.override("en"):
            assert route.get_situation_display() == "Thoughts of suicide"
            assert "113" in route.channel and "0800-0113" in route.channel

    def test_offlimits_meldpunt_is_the_dutch_reporting_point_for_abuse_images(self, loaded_map):
        offlimits = Organisation.objects.published().get(slug="offlimits")
        assert offlimits.website == "https://www.offlimits.nl/"
        assert "EOKM" in offlimits.name_nl and "EOKM" in offlimits.name_en
        for text in (offlimits.description_nl, offlimits.description_en):
            assert "Meldpunt Kinderporno" in text and "Helpwanted" in text
        meldpunt = Resource.objects.published().get(slug="offlimits-meldpunt-kinderporno")
        assert meldpunt.kind == "meldpunt" and meldpunt.anonymous_contact
        situations = set(
            ReferralRoute.objects.filter(resource=meldpunt).values_list("situation", flat=True)
        )
        assert situations == {"beelden-verwijderen", "melding-aangifte"}
        removal = ReferralRoute.objects.filter(situation="beelden-verwijderen").order_by("order")
        assert [r.organisation.slug for r in removal][:3] == [
            "helpwanted", "offlimits", "internet-watch-foundation",
        ]  # fmt: skip
        helpwanted = Organisation.objects.get(slug="helpwanted")
        assert "Offlimits" in helpwanted.description_nl and "Offlimits" in helpwanted.name_nl
        assert "Offlimits" in helpwanted.description_en and "Offlimits" in helpwanted.name_en

    def test_zanzu_is_multilingual_and_lists_only_confirmed_languages(self, loaded_map):
        zanzu = Resource.objects.get(slug="zanzu")
        codes = set(zanzu.languages.values_list("code", flat=True))
        assert codes == {"nl", "en", "ar"}
        assert "17 talen" in zanzu.description_nl and "17 languages" in zanzu.description_en
        assert Resource.objects.filter(languages__code="ar", slug="zanzu").exists()

    def test_the_2016_prosecution_guideline_is_dated_not_presented_as_in_force(self, loaded_map):
        guideline = Resource.objects.get(slug="om-aanwijzing-kinderpornografie")
        assert "uit 2016" in guideline.title_nl and "from 2016" in guideline.title_en
        assert "dateert van vóór de Wet seksuele misdrijven" in guideline.description_nl
        assert "dates from before the Sexual Offences Act" in guideline.description_en
        assert "artikel 252" in guideline.description_nl
        assert "article 252" in guideline.description_en
        assert "Richtlijn van het Openbaar Ministerie die bepaalt" not in guideline.description_nl

    def test_no_entry_shows_a_source_code_or_cites_240b_as_current(self, loaded_map):
        fields = {
            Organisation: ("name", "description"),
            Resource: ("title", "description", "alert"),
            ReferralRoute: ("channel", "conditions"),
        }
        for model, names in fields.items():
            for entry in model.objects.all():
                for name in names:
                    for language in ("nl", "en"):
                        text = getattr(entry, f"{name}_{language}") or ""
                        assert not SOURCE_CODE.search(text), (entry, name, language)
                        assert not old_article_cited_as_current(text), (entry, name, language)

    def test_new_entries_carry_a_plain_parent_text_in_dutch_and_english(self, db):
        new = {
            "113-hulplijn", "offlimits-meldpunt-kinderporno", "zelfdoding-113",
            "beelden-verwijderen-offlimits-meldpunt", "melding-aangifte-offlimits-meldpunt",
        }  # fmt: skip
        entries = [
            entry
            for kind in ("resources", "referral_routes")
            for entry in fixture_entries(kind)
            if entry["slug"] in new
        ]
        assert {entry["slug"] for entry in entries} == new
        for entry in entries:
            for language in ("nl", "en"):
                text = entry["parent_text"][language]
                assert text.strip(), (entry["slug"], language)
                words = set(re.findall(r"[\w-]+", text.lower()))
                phrases = [w for w in PARENT_FORBIDDEN if " " in w and w in text.lower()]
                assert not words & set(PARENT_FORBIDDEN), (entry["slug"], language)
                assert not phrases, (entry["slug"], language)
        load_social_map(settings.CONTENT_DIR)  # the loader accepts the key
        assert Resource.objects.filter(slug__in=new).count() == 2
