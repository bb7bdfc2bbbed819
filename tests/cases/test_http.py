import pytest
from django.utils import timezone

from cases.constants import AccessAction, CaseStatus
from cases.models import AccessLog, Case, Consultation, StepProgress
from cases.services import case_answer_question, case_record_consultation
from tests.factories import UserFactory, make_case, make_guide


@pytest.fixture
def case(db):
    return make_case()


def url(case, suffix=""):
    return f"/casussen/{case.reference}/{suffix}"


def consult_data(**overrides):
    data = {
        "consulted_on": timezone.localdate().isoformat(),
        "organisation": "veilig_thuis",
        "advisor": "Adviseur",
        "advice_summary": "Contact is veilig.",
        "outcome": "contact_ouders_veilig",
        "young_person_informed": "on",
    }
    data.update(overrides)
    return data


class CreateTests:
    def test_a_worker_starts_a_case_on_the_newest_version(self, client, worker, db):
        guide = make_guide()
        client.force_login(worker)
        response = client.post(
            "/casussen/nieuw/",
            {
                "guide_version": guide.versions.latest().pk,
                "age_range": "16_17",
                "situation": "exposing",
                "parent_languages": ["tr", "nl"],
                "notes": "Eerste gesprek met de jongere was goed.",
            },
        )
        case = Case.objects.get()
        assert response.status_code == 302
        assert response.url == f"/casussen/{case.reference}/"
        assert case.reference == f"GW-{timezone.localdate().year}-0001"
        assert case.owner == worker and case.team == worker.team
        assert case.guide_version == guide.versions.latest()
        assert case.parent_languages == ["tr", "nl"]
        assert AccessLog.objects.filter(case=case, action=AccessAction.CREATE).exists()

    def test_identifying_text_warns_but_does_not_block(self, client, worker, db):
        guide = make_guide()
        client.force_login(worker)
        response = client.post(
            "/casussen/nieuw/",
            {
                "guide_version": guide.versions.latest().pk,
                "age_range": "16_17",
                "situation": "exposing",
                "notes": "BSN 111222333, mail ouder@example.nl",
            },
            follow=True,
        )
        html = response.content.decode()
        assert "burgerservicenummer" in html and "e-mailadres" in html
        assert Case.objects.count() == 1

    def test_bad_input_changes_nothing(self, client, worker, db):
        make_guide()
        client.force_login(worker)
        response = client.post("/casussen/nieuw/", {"age_range": "99", "situation": "x"})
        assert response.status_code == 200
        assert response.context["form"].errors
        assert not Case.objects.exists()

    def test_references_count_up_and_are_not_reused(self, db):
        first = make_case()
        second = make_case(owner=first.owner)
        assert int(second.reference[-4:]) == int(first.reference[-4:]) + 1


class GateOverHttpTests:
    def test_crafted_post_to_a_locked_step_is_refused(self, client, case):
        case_answer_question(case=case, actor=case.owner, question_key="dreiging", answer="ja")
        client.force_login(case.owner)
        for status in ("done", "not_applicable", "open", ""):
            response = client.post(
                url(case, "stap/vertrouwen/"), {"status": status, "notes": "x", "version": 0}
            )
            assert response.status_code == 403
        assert not StepProgress.objects.filter(case=case, step_key="vertrouwen").exists()
        assert AccessLog.objects.filter(case=case, action=AccessAction.REFUSED).count() == 4

    def test_locked_step_page_shows_the_reason_and_no_script(self, client, case):
        case_answer_question(case=case, actor=case.owner, question_key="dreiging", answer="ja")
        client.force_login(case.owner)
        html = client.get(url(case, "stap/vertrouwen/")).content.decode()
        assert "Contact met ouders staat op slot" in html
        assert 'href="/casussen/' + case.reference + '/stap/raadpleeg-veilig-thuis/"' in html
        assert "Tekst van vertrouwen" not in html
        assert 'name="status"' not in html

    def test_screening_ja_then_consultation_opens_the_step(self, client, case):
        client.force_login(case.owner)
        response = client.post(url(case, "screening/"), {"q_dreiging": "ja"})
        assert response.status_code == 302
        assert response.url.endswith("/stap/raadpleeg-veilig-thuis/")
        case.refresh_from_db()
        assert case.status == CaseStatus.WACHT_OP_ADVIES
        assert client.post(url(case, "advies/"), consult_data()).status_code == 302
        assert (
            client.post(url(case, "stap/vertrouwen/"), {"status": "done", "version": 0}).status_code
            == 302
        )
        assert StepProgress.objects.get(case=case, step_key="vertrouwen").status == "done"

    def test_nee_after_ja_without_reason_changes_nothing(self, client, case):
        client.force_login(case.owner)
        client.post(url(case, "screening/"), {"q_dreiging": "ja"})
        response = client.post(
            url(case, "screening/"), {"q_dreiging": "nee", "q_angst-familie": "nee"}
        )
        assert response.status_code == 400
        assert "Geef de reden" in response.content.decode()
        assert dict(case.answers.values_list("question_key", "answer")) == {"dreiging": "ja"}

    def test_consultation_without_confirmation_is_refused(self, client, case):
        case_answer_question(case=case, actor=case.owner, question_key="dreiging", answer="ja")
        client.force_login(case.owner)
        data = consult_data()
        del data["young_person_informed"]
        response = client.post(url(case, "advies/"), data)
        assert response.status_code == 400
        assert "Zet nooit stappen buiten de jongere om" in response.content.decode()
        assert not Consultation.objects.exists()

    @pytest.mark.parametrize(
        "path",
        ["advies/1/", "advies/1/bewerken/", "advies/1/verwijderen/", "consultatie/1/delete/"],
    )
    def test_there_is_no_way_to_edit_or_delete_a_consultation(self, client, case, path):
        case_record_consultation(
            case=case, actor=case.owner, consulted_on=timezone.localdate(),
            organisation="politie", advisor="x", advice_summary="origineel",
            outcome="melding_gedaan", young_person_informed=True,
        )  # fmt: skip
        client.force_login(case.owner)
        for method in (client.post, client.put, client.delete):
            assert method(url(case, path)).status_code in (404, 405)
        assert Consultation.objects.get().advice_summary == "origineel"

    def test_the_alternative_route_is_offered_after_no_contact_advice(self, client, db):
        case = make_case()
        case_answer_question(case=case, actor=case.owner, question_key="dreiging", answer="ja")
        client.force_login(case.owner)
        client.post(url(case, "advies/"), consult_data(outcome="geen_contact_ouders"))
        html = client.get(url(case)).content.decode()
        assert "Naar de alternatieve route" in html


class CasePageTests:
    def test_case_page_opens_at_the_first_open_step(self, client, case):
        client.force_login(case.owner)
        client.post(url(case, "stap/wat-is-er-gebeurd/"), {"status": "done", "version": 0})
        response = client.get(url(case))
        assert response.context["step"].key == "kennis-eer"
        assert 'aria-current="step"' in response.content.decode()

    def test_not_applicable_steps_leave_the_plan(self, client, case):
        client.force_login(case.owner)
        client.post(url(case, "screening/"), {"q_dreiging": "nee", "q_angst-familie": "nee"})
        client.post(url(case, "stap/nazorg/"), {"status": "not_applicable", "version": 0})
        html = client.get(url(case, "plan/")).content.decode()
        assert "Stap nazorg" not in html
        assert "Stap vertrouwen" in html

    def test_case_page_query_budget(self, client, case, django_assert_max_num_queries):
        client.force_login(case.owner)
        client.get(url(case))
        with django_assert_max_num_queries(14):
            assert client.get(url(case)).status_code == 200
        with django_assert_max_num_queries(14):
            assert client.get(url(case, "stap/kennis-eer/")).status_code == 200

    def test_my_cases_query_budget_with_200_cases(
        self, client, worker, db, django_assert_max_num_queries
    ):
        make_guide()
        for _ in range(200):
            make_case(owner=worker)
        client.force_login(worker)
        with django_assert_max_num_queries(5):
            response = client.get("/casussen/")
        assert response.content.decode().count("/casussen/GW-") == 200


class PlanTests:
    def test_plan_with_the_gate_closed_warns_and_has_no_parent_script(self, client, case):
        case_answer_question(case=case, actor=case.owner, question_key="dreiging", answer="ja")
        client.force_login(case.owner)
        html = client.get(url(case, "plan/")).content.decode()
        assert "contact met de ouders staat op slot" in html
        assert "Dit plan bevat daarom geen gespreksdeel met de ouders" in html
        assert "Tekst van vertrouwen" not in html
        assert AccessLog.objects.filter(case=case, action=AccessAction.PRINT).exists()

    def test_plan_with_the_gate_open_has_the_parent_steps(self, client, case):
        client.force_login(case.owner)
        client.post(url(case, "screening/"), {"q_dreiging": "nee", "q_angst-familie": "nee"})
        client.post(
            url(case, "stap/vertrouwen/"), {"status": "done", "notes": "Met tolk.", "version": 0}
        )
        html = client.get(url(case, "plan/")).content.decode()
        assert "staat op slot" not in html
        assert "Met tolk." in html

    @pytest.mark.parametrize("flagged", [False, True])
    def test_pdf(self, client, case, flagged):
        if flagged:
            case_answer_question(case=case, actor=case.owner, question_key="dreiging", answer="ja")
        client.force_login(case.owner)
        response = client.get(url(case, "plan.pdf"))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        assert response["Cache-Control"] == "no-store"
        assert AccessLog.objects.filter(case=case, action=AccessAction.EXPORT).exists()


class LogTests:
    def test_every_read_and_change_is_logged_without_content(self, client, case):
        client.force_login(case.owner)
        client.get(url(case))
        client.post(url(case, "stap/wat-is-er-gebeurd/"), {"notes": "Geheim detail", "version": 0})
        client.get(url(case, "plan/"))
        actions = list(AccessLog.objects.filter(case=case).values_list("action", flat=True))
        assert {"create", "view", "step", "print"} <= set(actions)
        for entry in AccessLog.objects.filter(case=case):
            assert "Geheim" not in entry.detail
            assert entry.ip_address == "127.0.0.1" or entry.action == "create"

    def test_reading_details_sharing_and_the_pdf_are_logged(self, client, case):
        client.force_login(case.owner)
        client.get(url(case, "gegevens/"))
        client.get(url(case, "delen/"))
        client.get(url(case, "plan.pdf"))
        client.get(url(case, "logboek/"))
        entries = set(AccessLog.objects.filter(case=case).values_list("action", "detail"))
        assert {
            ("view", "details"),
            ("view", "sharing"),
            ("export", ""),
            ("view_log", ""),
        } <= entries

    def test_owner_sees_the_log(self, client, case):
        client.force_login(case.owner)
        html = client.get(url(case, "logboek/")).content.decode()
        assert "aangemaakt" in html


class ShareTests:
    def test_owner_shares_with_a_team_member_to_read(self, client, case):
        colleague = UserFactory(team=case.team)
        client.force_login(case.owner)
        response = client.post(url(case, "delen/"), {"user": colleague.pk, "level": "read"})
        assert response.status_code == 302
        client.force_login(colleague)
        assert client.get(url(case)).status_code == 200
        response = client.post(url(case, "stap/wat-is-er-gebeurd/"), {"notes": "x", "version": 0})
        assert response.status_code == 403

    def test_cannot_share_outside_the_team(self, client, case):
        outsider = UserFactory()
        client.force_login(case.owner)
        response = client.post(url(case, "delen/"), {"user": outsider.pk, "level": "edit"})
        assert response.status_code == 400
        assert not case.shares.exists()


class PlanReferralTests:
    def test_plan_lists_routes_and_material_in_the_parents_language(self, client, db, content):
        from cases.constants import AgeRange, Situation
        from cases.services import case_create
        from guidance.selectors import guide_version

        worker = UserFactory()
        case = case_create(
            owner=worker,
            guide_version=guide_version(slug="ouders-slachtoffer"),
            age_range=AgeRange.J16_17,
            situation=Situation.SHAME_SEXTING,
            parent_languages=["ar"],
        )
        client.force_login(worker)
        html = client.get(url(case, "plan/")).content.decode()
        assert "Verwijzingen" in html
        assert "0800-2000" in html
        assert "Materiaal voor de ouders in hun taal" in html
        assert "Mediagesprek" in html
        pdf = client.get(url(case, "plan.pdf"))
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    def test_step_shows_route_cards(self, client, db, content):
        worker = UserFactory()
        client.force_login(worker)
        html = client.get("/leidraden/ouders-slachtoffer/stap/raadpleeg-veilig-thuis/").content
        assert b"route-card" in html
        assert b"0800-2000" in html


class SanitisingTests:
    def test_notes_and_advice_are_rendered_through_the_sanitiser(self, client, case):
        client.force_login(case.owner)
        client.post(
            url(case, "stap/wat-is-er-gebeurd/"),
            {"notes": "<script>alert(1)</script> **let op**", "version": 0},
        )
        for path in ("stap/wat-is-er-gebeurd/", "plan/"):
            html = client.get(url(case, path)).content.decode()
            assert "<script>alert(1)</script>" not in html
            assert "&lt;script&gt;" in html
        assert "<strong>let op</strong>" in client.get(url(case, "plan/")).content.decode()


class LogBudgetTests:
    def test_log_page_with_300_entries(self, client, case, django_assert_max_num_queries):
        from cases.services import access_log_record

        colleagues = [UserFactory(team=case.team) for _ in range(5)]
        for n in range(300):
            access_log_record(case=case, user=colleagues[n % 5], action="view", detail="plan")
        client.force_login(case.owner)
        with django_assert_max_num_queries(8):
            response = client.get(url(case, "logboek/"))
        assert response.content.decode().count("<tr>") >= 300
