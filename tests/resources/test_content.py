from django.core.management import call_command

from accounts.services import DEMO_REGION
from resources.models import Organisation, ReferralRoute, Resource, Theme

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
        sorted(Resource.objects.values_list("slug", "uuid", "title_nl", "search_document")),
        sorted(Resource.themes.through.objects.values_list("resource_id", "theme_id")),
        sorted(Resource.languages.through.objects.values_list("resource_id", "language_id")),
        sorted(ReferralRoute.objects.values_list("slug", "organisation_id", "resource_id")),
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

    def test_mediagesprek_exists_in_five_languages(self, db, content):
        mediagesprek = Resource.objects.get(slug="mediagesprek")
        codes = set(mediagesprek.languages.values_list("code", flat=True))
        assert codes == {"nl", "en", "fr", "tr", "ar"}

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
