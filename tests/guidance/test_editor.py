"""The guide editor in the back office: a guide page that lists its steps (and stays small),
one page per step with a preview, reordering by buttons, and publishing after a diff."""

import pytest

from guidance.constants import Branch, StepKind
from guidance.models import GuideVersion, Step
from guidance.services import guide_move_step, guide_publish
from tests.factories import TermFactory, make_guide

LONG = "Een alinea over vertrouwen en schaamte die lang genoeg is om op te vallen. " * 40


@pytest.fixture
def long_guide(db):
    """60 steps with long texts in both languages, published as version 1."""
    steps = [
        {
            "key": f"stap-{n}",
            "kind": StepKind.VOORBEREIDING,
            "title": f"Stap nummer {n}",
            "title_en": f"Step number {n}",
            "body": LONG,
            "body_en": LONG,
            "checklist_nl": "Tolk geregeld?\nRuimte geregeld?",
            "dos_nl": "Luister.",
        }
        for n in range(1, 61)
    ]
    return make_guide(slug="lang", steps=steps)


def change_url(guide):
    return f"/beheer/guidance/guide/{guide.pk}/change/"


def keys(guide):
    return list(guide.steps.order_by("order", "pk").values_list("key", flat=True))


class GuidePageTests:
    def test_a_guide_of_60_steps_is_a_small_page_listing_every_step(
        self, client, beheerder, long_guide, django_assert_max_num_queries
    ):
        client.force_login(beheerder)
        with django_assert_max_num_queries(12):
            response = client.get(change_url(long_guide))
        assert response.status_code == 200
        assert len(response.content) < 100_000
        page = response.content.decode()
        for step in long_guide.steps.all():
            assert f'href="/beheer/guidance/step/{step.pk}/change/"' in page
        assert "Stap nummer 60" in page
        assert LONG[:60] not in page  # texts are on the step pages
        assert page.count('name="omhoog"') == 59
        assert page.count('name="omlaag"') == 59
        assert f'href="/beheer/guidance/guide/{long_guide.pk}/publiceren/"' in page

    def test_a_guide_of_any_length_lists_its_steps_in_pages_that_stay_small(
        self, client, beheerder, db
    ):
        steps = [
            {"key": f"s{n}", "kind": StepKind.KENNIS, "title": f"{n:03d} " + "lange titel " * 16}
            for n in range(1, 91)
        ]
        guide = make_guide(slug="heel-lang", with_branch=False, publish=False, steps=steps)
        client.force_login(beheerder)
        first = client.get(change_url(guide))
        assert len(first.content) < 100_000
        page = first.content.decode()
        assert page.count('<tr id="stap-') == 80
        assert "Stappen 1–80 van 90" in page and "?stappen=2#stappen" in page
        second = client.get(change_url(guide) + "?stappen=2").content.decode()
        assert second.count('<tr id="stap-') == 10
        assert "090 lange titel" in second and 'name="omlaag"' in second
        # A move across the pages' border lands on the page that shows the step.
        url = f"/beheer/guidance/guide/{guide.pk}/stappen/verplaatsen/"
        s80 = guide.steps.get(key="s80")
        response = client.post(url, {"omlaag": s80.pk})
        assert response.url == f"{change_url(guide)}?stappen=2#stap-{s80.pk}"
        response = client.post(url, {"omhoog": s80.pk})
        assert response.url == f"{change_url(guide)}#stap-{s80.pk}"

    def test_the_honour_branch_page_keeps_its_screening_questions(self, client, beheerder, db):
        guide = make_guide()
        client.force_login(beheerder)
        page = client.get(change_url(guide.honour_branch)).content.decode()
        assert "questions-TOTAL_FORMS" in page
        assert "Raadpleeg eerst Veilig Thuis" in page
        assert "/publiceren/" not in page  # a branch is published with its guides


class MoveStepTests:
    def test_omhoog_and_omlaag_move_a_step_one_place(self, client, beheerder, db):
        guide = make_guide()
        client.force_login(beheerder)
        vertrouwen = guide.steps.get(key="vertrouwen")
        url = f"/beheer/guidance/guide/{guide.pk}/stappen/verplaatsen/"
        response = client.post(url, {"omhoog": vertrouwen.pk}, follow=True)
        assert response.redirect_chain[0][0] == f"{change_url(guide)}#stap-{vertrouwen.pk}"
        assert "‘Stap vertrouwen’ staat nu op plaats 3." in response.content.decode()
        assert keys(guide) == [
            "wat-is-er-gebeurd",
            "kennis-eer",
            "vertrouwen",
            "geen-signalen",
            "alleen-bij-eer",
            "nazorg",
        ]
        client.post(url, {"omlaag": guide.steps.get(key="kennis-eer").pk})
        assert keys(guide)[:3] == ["wat-is-er-gebeurd", "vertrouwen", "kennis-eer"]
        # Each move is in the history of the steps that changed place (created, 2 moves).
        assert vertrouwen.history.count() == 3

    def test_the_first_step_stays_first(self, db):
        guide = make_guide()
        first = guide.steps.get(key="wat-is-er-gebeurd")
        assert guide_move_step(step=first, up=True) is False
        last = guide.steps.get(key="nazorg")
        assert guide_move_step(step=last, up=False) is False
        assert keys(guide)[0] == "wat-is-er-gebeurd"

    def test_steps_with_the_same_order_are_numbered_afresh(self, db):
        guide = make_guide()
        guide.steps.update(order=0)
        nazorg = guide.steps.get(key="nazorg")
        assert guide_move_step(step=nazorg, up=True)
        assert keys(guide)[-2:] == ["nazorg", "alleen-bij-eer"]
        assert list(guide.steps.order_by("order").values_list("order", flat=True)) == [
            1,
            2,
            3,
            4,
            5,
            6,
        ]

    @pytest.mark.parametrize(
        "data", [{}, {"omhoog": "x"}, {"omhoog": "999999"}, {"omhoog": "1", "omlaag": "1"}]
    )
    def test_bad_input_changes_nothing(self, client, beheerder, db, data):
        guide = make_guide()
        before = keys(guide)
        client.force_login(beheerder)
        url = f"/beheer/guidance/guide/{guide.pk}/stappen/verplaatsen/"
        response = client.post(url, data, follow=True)
        assert response.status_code == 200
        assert keys(guide) == before

    def test_a_step_of_another_guide_is_not_moved(self, client, beheerder, db):
        guide = make_guide()
        other = make_guide(slug="ander", with_branch=False)
        before = keys(other)
        client.force_login(beheerder)
        url = f"/beheer/guidance/guide/{guide.pk}/stappen/verplaatsen/"
        client.post(url, {"omhoog": other.steps.get(key="nazorg").pk})
        assert keys(other) == before

    def test_get_is_not_allowed_and_a_coordinator_may_not_move(self, client, coordinator, db):
        guide = make_guide()
        before = keys(guide)
        url = f"/beheer/guidance/guide/{guide.pk}/stappen/verplaatsen/"
        client.force_login(coordinator)
        response = client.post(url, {"omhoog": guide.steps.get(key="nazorg").pk})
        assert response.status_code == 403
        assert keys(guide) == before


class StepPageTests:
    def test_each_step_of_a_long_guide_opens_within_a_query_budget(
        self, client, beheerder, long_guide, django_assert_max_num_queries
    ):
        client.force_login(beheerder)
        for step in long_guide.steps.filter(key__in=["stap-1", "stap-30", "stap-60"]):
            step.terms.set([TermFactory()])
            with django_assert_max_num_queries(14):
                response = client.get(f"/beheer/guidance/step/{step.pk}/change/")
            assert response.status_code == 200
            page = response.content.decode()
            assert 'name="_preview"' in page
            assert f'href="{change_url(long_guide)}#stap-{step.pk}"' in page  # breadcrumb

    def test_the_saved_text_is_previewed_with_its_glossary_links(self, client, beheerder, db):
        TermFactory(slug="schaamte", pref_label_nl="schaamte", pref_label_en="shame")
        guide = make_guide()
        step = guide.steps.get(key="vertrouwen")
        step.body_nl = "Over **schaamte** praten."
        step.body_en = "Talking about shame."
        step.save()
        client.force_login(beheerder)
        page = client.get(f"/beheer/guidance/step/{step.pk}/change/").content.decode()
        assert '<strong><a href="/begrippen/schaamte/" class="glossary-link">schaamte</a>' in page
        assert '<a href="/begrippen/schaamte/" class="glossary-link">shame</a>' in page
        assert page.count('href="/begrippen/schaamte/">schaamte</a>') == 2  # listed, per language

    def test_voorbeeld_shows_the_typed_text_sanitised_and_saves_nothing(
        self, client, beheerder, db
    ):
        guide = make_guide()
        step = guide.steps.get(key="vertrouwen")
        client.force_login(beheerder)
        data = step_form_data(step)
        data.update(
            body_nl="Nieuw: **vet** <script>alert(1)</script> [x](javascript:alert(1))",
            _preview="Voorbeeld",
        )
        response = client.post(f"/beheer/guidance/step/{step.pk}/change/", data)
        assert response.status_code == 200
        page = response.content.decode()
        assert "nog niet opgeslagen" in page
        assert "<strong>vet</strong>" in page
        assert "<script>alert(1)</script>" not in page
        assert "javascript:alert" not in page.split('id="voorbeeld"')[1].split("</section>")[0]
        assert "errornote" not in page
        step.refresh_from_db()
        assert step.body_nl == "Tekst van vertrouwen."
        # The typed text is still in the form, ready to be saved.
        assert "Nieuw: **vet**" in page

    def test_saving_a_step_returns_to_its_guide(self, client, beheerder, db):
        guide = make_guide()
        step = guide.steps.get(key="vertrouwen")
        client.force_login(beheerder)
        data = step_form_data(step)
        data.update(title_nl="Vertrouwen winnen", _save="Opslaan")
        response = client.post(f"/beheer/guidance/step/{step.pk}/change/", data)
        assert response.status_code == 302
        assert response.url == f"{change_url(guide)}#stap-{step.pk}"
        step.refresh_from_db()
        assert step.title_nl == "Vertrouwen winnen"

    def test_an_add_link_with_ids_that_cannot_be_ids_is_no_server_error(
        self, client, beheerder, db
    ):
        client.force_login(beheerder)
        for field in ["guide", "terms", "routes", "resources"]:
            for value in [" ", "x", "1,x", "\u00da", str(2**70)]:
                response = client.get("/beheer/guidance/step/add/", {field: value})
                assert response.status_code == 200, (field, value)

    @pytest.mark.parametrize(
        "path, field",
        [("/beheer/guidance/step/add/", "terms"), ("/beheer/guidance/step/add/", "guide"),
         ("/beheer/glossary/term/add/", "broader"), ("/beheer/glossary/term/add/", "related")],
    )  # fmt: skip
    def test_a_posted_related_value_that_cannot_be_an_id_is_a_form_error(
        self, client, beheerder, db, path, field
    ):
        """The autocomplete widget looks the submitted values up to show them again; one that
        cannot be an id (the fuzz test found `broader=' '` and a number past 64 bits) is left
        out there, and the form says what is wrong instead of a 500."""
        client.force_login(beheerder)
        for value in [" ", "x", str(2**70), "00000000-0000-0000-0000-000000000001"]:
            response = client.post(path, {field: value, "_save": "Opslaan"})
            assert response.status_code == 200, (field, value)
            assert response.context["adminform"].form.errors

    def test_a_step_is_added_from_the_guide_page_at_the_end(self, client, beheerder, db):
        guide = make_guide()
        client.force_login(beheerder)
        page = client.get(f"/beheer/guidance/step/add/?guide={guide.pk}").content.decode()
        assert 'name="order" value="7"' in page
        data = {
            "guide": guide.pk,
            "order": 7,
            "key": "afsluiting",
            "title_nl": "Afsluiting",
            "kind": StepKind.NAZORG,
            "branch": Branch.ALWAYS,
            "_save": "Opslaan",
        }
        response = client.post("/beheer/guidance/step/add/", data)
        assert response.status_code == 302
        assert keys(guide)[-1] == "afsluiting"

    def test_a_coordinator_cannot_open_a_step(self, client, coordinator, db):
        step = make_guide().steps.first()
        client.force_login(coordinator)
        assert client.get(f"/beheer/guidance/step/{step.pk}/change/").status_code == 403


def step_form_data(step: Step) -> dict:
    return {
        "version": step.version,
        "order": step.order,
        "key": step.key,
        "title_nl": step.title_nl,
        "title_en": step.title_en or "",
        "body_nl": step.body_nl,
        "body_en": step.body_en or "",
        "kind": step.kind,
        "branch": step.branch,
        "checklist_nl": step.checklist_nl or "",
        "dos_nl": "",
        "donts_nl": "",
    }


def publish_url(guide):
    return f"/beheer/guidance/guide/{guide.pk}/publiceren/"


class PublishTests:
    def test_the_diff_before_publishing(self, client, beheerder, db):
        guide = make_guide()
        step = guide.steps.get(key="vertrouwen")
        step.title_en = "Building trust"
        step.body_nl = "Eerst luisteren."
        step.branch = Branch.HONOUR
        step.save()
        guide.steps.get(key="nazorg").delete()
        guide_move_step(step=guide.steps.get(key="wat-is-er-gebeurd"), up=False)
        Step.objects.create(guide=guide, key="extra", order=9, title_nl="Extra stap", kind="kennis")
        question = guide.honour_branch.questions.get(key="dreiging")
        question.text_en = "Is there a threat?"
        question.save()
        client.force_login(beheerder)
        page = client.get(publish_url(guide)).content.decode()
        assert "vergeleken met versie 1" in page
        assert "2 toegevoegd, 1 verwijderd, 1 verplaatst, 2 gewijzigd" not in page
        assert "Stappen: 1 toegevoegd, 1 verwijderd, 1 verplaatst, 1 gewijzigd" in page
        assert "Screeningsvragen: 0 toegevoegd, 0 verwijderd, 0 verplaatst, 1 gewijzigd" in page
        assert "Extra stap" in page and "<del>Stap nazorg</del>" in page
        assert "van plaats 1 naar plaats 2" in page
        assert "<ins>Building trust</ins>" in page and "<del>Step vertrouwen</del>" in page
        assert "<ins>Eerst luisteren.</ins>" in page
        assert "<ins>Is there a threat?</ins>" in page
        assert "<del>Altijd</del>" in page
        assert "<ins>Alleen bij signalen van eergerelateerd geweld</ins>" in page
        assert "Gelden niet meer:" in page  # without signals, vertrouwen no longer applies
        assert 'name="note"' in page

    def test_the_diff_of_a_long_guide_within_a_query_budget(
        self, client, beheerder, long_guide, django_assert_max_num_queries
    ):
        long_guide.steps.filter(key__in=["stap-2", "stap-40"]).update(body_en="Changed.")
        long_guide.steps.filter(key="stap-60").update(order=0)
        client.force_login(beheerder)
        with django_assert_max_num_queries(18):
            response = client.get(publish_url(long_guide))
        page = response.content.decode()
        assert "Stappen: 0 toegevoegd, 0 verwijderd, 1 verplaatst, 2 gewijzigd" in page
        assert page.count("<ins>Changed.</ins>") == 2

    def test_publishing_without_a_note_is_refused(self, client, beheerder, db):
        guide = make_guide()
        guide.steps.filter(key="nazorg").update(title_nl="Nazorg en evaluatie")
        client.force_login(beheerder)
        token = client.get(publish_url(guide)).context["review"].token
        for note in ["", "   ", "x" * 301]:
            response = client.post(publish_url(guide), {"note": note, "reviewed": token})
            assert response.status_code == 200
            assert guide.versions.count() == 1
        page = client.post(publish_url(guide), {"note": "", "reviewed": token}).content.decode()
        assert "zonder notitie wordt niets gepubliceerd" in page
        page = client.post(
            publish_url(guide), {"note": "x" * 301, "reviewed": token}
        ).content.decode()
        assert "300" in page and "errorlist" in page

    def test_the_service_refuses_a_missing_or_long_note(self, db):
        from django.core.exceptions import ValidationError

        guide = make_guide()
        guide.steps.filter(key="nazorg").update(title_nl="Anders")
        for note in ["", " \n ", "x" * 301]:
            with pytest.raises(ValidationError):
                guide_publish(guide=guide, note=note)
        assert guide.versions.count() == 1

    def test_the_note_is_kept_with_the_version_and_shown_in_the_version_lists(
        self, client, beheerder, worker, db
    ):
        guide = make_guide()
        guide.steps.filter(key="nazorg").update(title_nl="Nazorg en evaluatie")
        client.force_login(beheerder)
        token = client.get(publish_url(guide)).context["review"].token
        response = client.post(
            publish_url(guide), {"note": "Nazorg heet nu anders.", "reviewed": token}
        )
        assert response.status_code == 302
        version = guide.versions.get(number=2)
        assert (version.note, version.published_by) == ("Nazorg heet nu anders.", beheerder)
        admin_list = client.get("/beheer/guidance/guideversion/").content.decode()
        assert "Nazorg heet nu anders." in admin_list
        client.force_login(worker)
        public = client.get("/leidraden/ouders-slachtoffer/versies/").content.decode()
        assert "Nazorg heet nu anders." in public

    def test_a_draft_changed_after_the_review_is_not_published(self, client, beheerder, db):
        guide = make_guide()
        guide.steps.filter(key="nazorg").update(title_nl="Nazorg en evaluatie")
        client.force_login(beheerder)
        token = client.get(publish_url(guide)).context["review"].token
        guide.steps.filter(key="vertrouwen").update(title_nl="Onbekeken wijziging")
        response = client.post(publish_url(guide), {"note": "Nazorg.", "reviewed": token})
        assert response.status_code == 200
        assert "Bekijk ze opnieuw" in response.content.decode()
        assert "Onbekeken wijziging" in response.content.decode()
        assert guide.versions.count() == 1
        fresh = response.context["form"]["reviewed"].value()
        assert (
            client.post(publish_url(guide), {"note": "Nazorg.", "reviewed": fresh}).status_code
            == 302
        )
        assert guide.versions.count() == 2

    def test_an_unchanged_draft_has_nothing_to_publish(self, client, beheerder, db):
        guide = make_guide()
        client.force_login(beheerder)
        page = client.get(publish_url(guide)).content.decode()
        assert "Er is niets te publiceren" in page
        assert 'name="note"' not in page

    def test_only_a_publisher_sees_the_page_and_a_branch_has_none(
        self, client, beheerder, coordinator, db
    ):
        guide = make_guide()
        client.force_login(coordinator)
        assert client.get(publish_url(guide)).status_code == 403
        assert client.post(publish_url(guide), {"note": "x", "reviewed": "y"}).status_code == 403
        client.force_login(beheerder)
        assert client.get(publish_url(guide.honour_branch)).status_code == 404
        assert client.get("/beheer/guidance/guide/999999/publiceren/").status_code == 404
        assert GuideVersion.objects.count() == 1

    def test_the_first_publication_lists_every_step_as_new(self, client, beheerder, db):
        guide = make_guide(slug="nieuw", with_branch=False, publish=False)
        client.force_login(beheerder)
        page = client.get(publish_url(guide)).content.decode()
        assert "nog geen gepubliceerde versie" in page
        assert "Stappen: 6 toegevoegd" in page
        assert "Versie 1 publiceren" in page


class SnapshotReadTests:
    def test_a_malformed_snapshot_fails_clearly_when_read(self, db):
        from guidance.snapshot import SnapshotError

        version = make_guide().versions.get()
        GuideVersion.objects.get(pk=version.pk)  # read (and checked) while still good
        broken = {**version.snapshot, "steps": [{"key": "x"}]}
        GuideVersion.objects.filter(pk=version.pk).update(snapshot=broken)
        # Checked once per text, so the changed row is checked again, and fails every time.
        for _ in range(2):
            with pytest.raises(SnapshotError, match=r"steps\[0\]: missing"):
                GuideVersion.objects.get(pk=version.pk)
        # Lists that do not need the content still work.
        assert GuideVersion.objects.defer("snapshot").get(pk=version.pk).number == 1

    def test_a_malformed_snapshot_is_not_written(self, db):
        from django.core.exceptions import ValidationError

        guide = make_guide()
        good = guide.versions.get().snapshot
        bad = {**good, "steps": [{**good["steps"][0], "branch": "soms"}]}
        version = GuideVersion(guide=guide, number=2, snapshot=bad, note="Kapot.")
        with pytest.raises(ValidationError, match=r"steps\[0\]\.branch"):
            version.full_clean()
