import pytest

from guidance.models import Step
from guidance.services import guide_publish
from tests.factories import TermFactory, make_guide


@pytest.fixture
def guide(db):
    TermFactory(slug="haya", pref_label_nl="haya")
    guide = make_guide()
    step = guide.steps.get(key="kennis-eer")
    step.body_nl = "Over **haya** en <script>alert(1)</script>."
    step.dos_nl = "Luister\nStel open vragen"
    step.donts_nl = "Geef geen schuld"
    step.checklist_nl = "Tolk geregeld?"
    step.save()
    step.terms.set(guide.steps.model.terms.field.related_model.objects.filter(slug="haya"))
    guide_publish(guide=guide, note="Gewijzigd.")
    return guide


class GuideListTests:
    def test_lists_published_guides(self, client, worker, guide):
        make_guide(slug="concept-leidraad", with_branch=False, publish=False)
        client.force_login(worker)
        html = client.get("/leidraden/").content.decode()
        assert "Leidraad ouders-slachtoffer" in html
        assert "concept-leidraad" not in html
        assert "met screening op eergerelateerd geweld" in html

    def test_guides_are_in_the_main_navigation(self, client, worker, db):
        client.force_login(worker)
        assert 'href="/leidraden/"' in client.get("/casussen/").content.decode()

    def test_query_budget(self, client, worker, db, django_assert_max_num_queries):
        for n in range(30):
            make_guide(slug=f"leidraad-{n}", with_branch=n == 0)
        client.force_login(worker)
        with django_assert_max_num_queries(5):
            html = client.get("/leidraden/").content.decode()
        assert html.count('class="card mb-3"') == 30


class ReadingTests:
    def test_overview_shows_the_screening_and_the_navigator(self, client, worker, guide):
        client.force_login(worker)
        html = client.get("/leidraden/ouders-slachtoffer/").content.decode()
        assert "Vraag dreiging?" in html
        assert "Alleen bij signalen van eergerelateerd geweld: eerst Veilig Thuis" in html
        assert 'href="/leidraden/ouders-slachtoffer/stap/raadpleeg-veilig-thuis/"' in html

    def test_step_page_is_sanitised_glossary_linked_and_navigable(self, client, worker, guide):
        client.force_login(worker)
        html = client.get("/leidraden/ouders-slachtoffer/stap/kennis-eer/").content.decode()
        assert "&lt;script&gt;" in html
        assert "<script>alert" not in html
        assert '<a href="/begrippen/haya/" class="glossary-link">haya</a>' in html
        assert "Stel open vragen" in html and "Geef geen schuld" in html
        assert "Tolk geregeld?" in html
        assert 'aria-current="step"' in html
        assert "Stap 4 van 8" in html
        assert 'rel="prev" href="/leidraden/ouders-slachtoffer/stap/wat-is-er-gebeurd/"' in html
        assert 'rel="next" href="/leidraden/ouders-slachtoffer/stap/geen-signalen/"' in html

    def test_unknown_step_or_version_is_404(self, client, worker, guide):
        client.force_login(worker)
        assert client.get("/leidraden/ouders-slachtoffer/stap/bestaat-niet/").status_code == 404
        assert client.get("/leidraden/ouders-slachtoffer/?versie=99").status_code == 404
        assert client.get("/leidraden/ouders-slachtoffer/?versie=abc").status_code == 404
        assert client.get("/leidraden/bestaat-niet/").status_code == 404

    def test_old_versions_stay_readable(self, client, worker, guide):
        step = guide.steps.get(key="vertrouwen")
        step.title_nl = "Vertrouwen opbouwen (nieuw)"
        step.save()
        guide_publish(guide=guide, note="Gewijzigd.")
        client.force_login(worker)
        new = client.get("/leidraden/ouders-slachtoffer/stap/vertrouwen/").content.decode()
        old = client.get("/leidraden/ouders-slachtoffer/stap/vertrouwen/?versie=1").content.decode()
        assert "Vertrouwen opbouwen (nieuw)" in new
        assert "Vertrouwen opbouwen (nieuw)" not in old
        assert "?versie=1" in old  # the navigator stays on version 1
        versions = client.get("/leidraden/ouders-slachtoffer/versies/").content.decode()
        assert "Versie 3" in versions and "Versie 1" in versions

    def test_print_page_has_every_step(self, client, worker, guide):
        client.force_login(worker)
        html = client.get("/leidraden/ouders-slachtoffer/afdrukken/").content.decode()
        assert html.count('class="guide-step"') == 8

    def test_english(self, client, worker, guide):
        client.force_login(worker)
        client.post("/taal/", {"language": "en", "next": "/"})
        html = client.get("/leidraden/ouders-slachtoffer/stap/raadpleeg-veilig-thuis/").content
        assert "Consult Veilig Thuis first" in html.decode()

    def test_step_page_query_budget(self, client, worker, db, django_assert_max_num_queries):
        TermFactory(slug="haya", pref_label_nl="haya")
        steps = [{"key": f"stap-{n}", "kind": "kennis"} for n in range(60)]
        guide = make_guide(slug="lang", publish=False, steps=steps)
        for step in Step.objects.filter(guide=guide):
            step.terms.set(guide.steps.model.terms.field.related_model.objects.all())
        guide_publish(guide=guide, note="Gewijzigd.")
        client.force_login(worker)
        with django_assert_max_num_queries(6):
            assert client.get("/leidraden/lang/stap/stap-30/").status_code == 200
        with django_assert_max_num_queries(6):
            assert client.get("/leidraden/lang/").status_code == 200
        with django_assert_max_num_queries(7):
            assert client.get("/leidraden/lang/afdrukken/").status_code == 200


class PreviewTests:
    def test_beheerder_previews_the_draft(self, client, beheerder, guide):
        step = guide.steps.get(key="vertrouwen")
        step.title_nl = "Nog niet gepubliceerd"
        step.save()
        client.force_login(beheerder)
        html = client.get("/leidraden/ouders-slachtoffer/concept/").content.decode()
        assert "Nog niet gepubliceerd" in html
        assert "Concept" in html

    @pytest.mark.parametrize("role", ["worker", "coordinator"])
    def test_others_cannot_preview(self, client, guide, role, request):
        client.force_login(request.getfixturevalue(role))
        assert client.get("/leidraden/ouders-slachtoffer/concept/").status_code == 403


class VersionListBudgetTests:
    def test_versions_page_with_25_versions(
        self, client, worker, db, django_assert_max_num_queries
    ):
        guide = make_guide()
        step = guide.steps.get(key="vertrouwen")
        for n in range(24):
            step.title_nl = f"Titel {n}"
            step.save()
            guide_publish(guide=guide, note="Gewijzigd.")
        client.force_login(worker)
        with django_assert_max_num_queries(5):
            html = client.get("/leidraden/ouders-slachtoffer/versies/").content.decode()
        assert html.count("?versie=") == 25
