"""The step pages, the consultation's own page, the screening batch and the case list."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.constants import AGREEMENT_QUESTION_KEY, StepStatus
from cases.models import Consultation, ScreeningAnswer, StepProgress
from cases.selectors import case_workspace
from cases.services import case_answer_question, case_save_screening, case_update_step
from tests.factories import make_case

CONSULT = "raadpleeg-veilig-thuis"


def url(case, suffix=""):
    return f"/casussen/{case.reference}/{suffix}"


def consult_data(**overrides):
    return {
        "consulted_on": timezone.localdate().isoformat(),
        "organisation": "veilig_thuis",
        "advisor": "Adviseur",
        "advice_summary": "Contact is veilig.",
        "outcome": "contact_ouders_veilig",
        "young_person_informed": "on",
        **overrides,
    }


def primary_buttons(html: str) -> int:
    return len(re.findall(r'class="btn btn-primary[ "]', html))


@pytest.fixture
def case(db):
    return make_case()


@pytest.fixture
def flagged(case):
    case_answer_question(case=case, actor=case.owner, question_key="dreiging", answer="ja")
    case.refresh_from_db()
    return case


class ConsultationPageTests:
    def test_the_consult_step_links_to_its_own_page_and_holds_no_advice_form(self, client, flagged):
        client.force_login(flagged.owner)
        html = client.get(url(flagged, f"stap/{CONSULT}/")).content.decode()
        assert f'href="{url(flagged, "advies/")}"' in html
        assert 'name="advice_summary"' not in html
        assert primary_buttons(html) == 1

    def test_the_consult_page_has_one_primary_action(self, client, flagged):
        client.force_login(flagged.owner)
        html = client.get(url(flagged, "advies/")).content.decode()
        assert 'name="advice_summary"' in html
        assert primary_buttons(html) == 1

    def test_recording_completes_the_step_and_the_case_opens_on_the_next_open_step(
        self, client, flagged
    ):
        client.force_login(flagged.owner)
        response = client.post(url(flagged, "advies/"), consult_data())
        assert response.status_code == 302
        assert response.url == url(flagged)
        progress = StepProgress.objects.get(case=flagged, step_key=CONSULT)
        assert progress.status == StepStatus.DONE
        page = client.get(url(flagged))
        assert page.context["step"].key != CONSULT
        assert page.context["step"].key == "meldcode-gesprek"

    @pytest.mark.parametrize("outcome", ["geen_contact_ouders", "melding_gedaan"])
    def test_any_outcome_completes_the_consult_step(self, client, flagged, outcome):
        client.force_login(flagged.owner)
        client.post(url(flagged, "advies/"), consult_data(outcome=outcome))
        assert StepProgress.objects.get(case=flagged, step_key=CONSULT).status == "done"
        assert client.get(url(flagged)).context["step"].key == "wat-is-er-gebeurd"

    def test_bad_input_records_nothing_and_says_why(self, client, flagged):
        client.force_login(flagged.owner)
        response = client.post(url(flagged, "advies/"), consult_data(outcome="x", advisor=""))
        assert response.status_code == 400
        assert "is-invalid" in response.content.decode()
        assert not Consultation.objects.exists()
        assert not StepProgress.objects.filter(case=flagged, step_key=CONSULT).exists()

    def test_the_advice_can_be_recorded_on_a_case_without_signals(self, client, case):
        client.force_login(case.owner)
        assert client.post(url(case, "advies/"), consult_data()).status_code == 302
        assert Consultation.objects.filter(case=case).count() == 1


class StepPageTests:
    @pytest.mark.parametrize("key", ["wat-is-er-gebeurd", "vertrouwen", CONSULT])
    def test_every_step_page_has_one_primary_button(self, client, flagged, key):
        client.force_login(flagged.owner)
        html = client.get(url(flagged, f"stap/{key}/")).content.decode()
        assert primary_buttons(html) == 1

    def test_a_done_step_still_has_one_primary_button(self, client, case):
        case_update_step(case=case, actor=case.owner, step_key="wat-is-er-gebeurd", status="done")
        client.force_login(case.owner)
        html = client.get(url(case, "stap/wat-is-er-gebeurd/")).content.decode()
        assert primary_buttons(html) == 1
        assert "Weer openzetten" in html

    def test_the_step_page_has_a_skip_link_to_the_step_list(self, client, case):
        client.force_login(case.owner)
        html = client.get(url(case)).content.decode()
        assert 'href="#case-steps"' in html
        assert 'id="case-steps"' in html

    def test_a_status_change_alone_keeps_the_notes(self, client, case):
        client.force_login(case.owner)
        client.post(url(case, "stap/wat-is-er-gebeurd/"), {"notes": "Eerste indruk.", "version": 0})
        client.post(url(case, "stap/wat-is-er-gebeurd/"), {"status": "done", "version": 1})
        progress = StepProgress.objects.get(case=case, step_key="wat-is-er-gebeurd")
        assert (progress.status, progress.notes) == ("done", "Eerste indruk.")

    @pytest.mark.parametrize("data", [{"status": "klaar"}, {"notes": "x" * 10_001}])
    def test_bad_input_changes_nothing(self, client, case, data):
        client.force_login(case.owner)
        response = client.post(url(case, "stap/wat-is-er-gebeurd/"), data)
        assert response.status_code == 400
        assert not StepProgress.objects.filter(case=case).exists()

    def test_an_unknown_step_is_not_found(self, client, case):
        client.force_login(case.owner)
        assert client.get(url(case, "stap/bestaat-niet/")).status_code == 404
        assert client.post(url(case, "stap/bestaat-niet/"), {"notes": "x"}).status_code == 404
        assert not StepProgress.objects.filter(case=case).exists()


class ScreeningServiceTests:
    def test_the_batch_is_all_or_nothing(self, case):
        case_save_screening(case=case, actor=case.owner, answers={"dreiging": ("ja", "")})
        with pytest.raises(ValidationError):
            case_save_screening(
                case=case, actor=case.owner,
                answers={"angst-familie": ("ja", "bang"), "dreiging": ("nee", "")},
            )  # fmt: skip
        assert dict(ScreeningAnswer.objects.values_list("question_key", "answer")) == {
            "dreiging": "ja"
        }

    def test_only_changed_answers_are_written(self, case):
        case_save_screening(
            case=case, actor=case.owner,
            answers={"dreiging": ("nee", ""), AGREEMENT_QUESTION_KEY: ("ja", "")},
        )  # fmt: skip
        changed = case_save_screening(
            case=case, actor=case.owner,
            answers={"dreiging": ("nee", ""), AGREEMENT_QUESTION_KEY: ("ja", "weet het")},
        )  # fmt: skip
        assert changed == [AGREEMENT_QUESTION_KEY]

    def test_over_http_a_signal_leads_to_the_consult_step(self, client, case):
        client.force_login(case.owner)
        response = client.post(url(case, "screening/"), {"q_dreiging": "twijfel"})
        assert response.url == url(case, f"stap/{CONSULT}/")


class CaseListTests:
    def test_the_list_shows_what_a_case_is_recognised_by(self, client, case):
        client.force_login(case.owner)
        html = client.get("/casussen/").content.decode()
        for text in (
            case.reference,
            "Leidraad ouders-slachtoffer",
            "Shame sexting",
            "12 tot en met 15 jaar",
            "Volgende stap",
            "Stap wat-is-er-gebeurd",
        ):
            assert text in html

    def test_the_next_step_follows_the_work(self, client, case):
        case_update_step(case=case, actor=case.owner, step_key="wat-is-er-gebeurd", status="done")
        case.refresh_from_db()
        assert case.next_step_key == "kennis-eer" == case_workspace(case).current.key
        client.force_login(case.owner)
        assert "Stap kennis-eer" in client.get("/casussen/").content.decode()


class QueryBudgetTests:
    def test_the_list_with_flagged_and_advised_cases_stays_in_budget(
        self, client, worker, db, django_assert_max_num_queries
    ):
        from cases.services import case_record_consultation

        for n in range(60):
            case = make_case(owner=worker)
            if n % 2:
                case_answer_question(case=case, actor=worker, question_key="dreiging", answer="ja")
                case.refresh_from_db()
                case_record_consultation(
                    case=case, actor=worker, consulted_on=timezone.localdate(),
                    organisation="veilig_thuis", advisor="a", advice_summary="s",
                    outcome="contact_ouders_veilig", young_person_informed=True,
                )  # fmt: skip
        client.force_login(worker)
        with django_assert_max_num_queries(5):
            html = client.get("/casussen/").content.decode()
        assert html.count("Contact veilig na advies") == 30
        assert html.count("Volgende stap") == 60

    def test_the_plan_page_stays_in_budget(self, client, db, django_assert_max_num_queries):
        case = make_case(parent_languages=["tr"])
        case_answer_question(case=case, actor=case.owner, question_key="dreiging", answer="ja")
        for key in ("wat-is-er-gebeurd", "kennis-eer"):
            case_update_step(case=case, actor=case.owner, step_key=key, notes="Aantekening.")
        client.force_login(case.owner)
        client.get(url(case, "plan/"))
        with django_assert_max_num_queries(14):
            assert client.get(url(case, "plan/")).status_code == 200
        with django_assert_max_num_queries(16):
            assert client.get(url(case, "plan/?bijlage=1")).status_code == 200


@pytest.mark.parametrize(
    "suffix", ["", "screening/", "doorgaan/", "advies/", "gegevens/", "delen/", "plan/"]
)
def test_every_case_page_has_one_primary_button(client, case, suffix):
    client.force_login(case.owner)
    assert primary_buttons(client.get(url(case, suffix)).content.decode()) == 1


def test_the_list_has_one_primary_button(client, case):
    client.force_login(case.owner)
    assert primary_buttons(client.get("/casussen/").content.decode()) == 1
