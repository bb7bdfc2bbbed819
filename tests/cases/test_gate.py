import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from cases.constants import CaseStatus, ConsultationOutcome, StepStatus
from cases.gate import GateReason
from cases.models import Consultation, ScreeningAnswerChange, StepProgress
from cases.selectors import case_gate, case_steps
from cases.services import (
    GateClosed,
    case_answer_question,
    case_record_consultation,
    case_update_step,
)
from tests.factories import make_case

PARENT_STEP = "vertrouwen"


def answer(case, key, value, reason=""):
    return case_answer_question(
        case=case, actor=case.owner, question_key=key, answer=value, reason=reason
    )


def answer_all(case, value):
    for key in ("dreiging", "angst-familie"):
        answer(case, key, value, reason="correctie")


def consult(case, outcome=ConsultationOutcome.CONTACT_OUDERS_VEILIG, informed=True):
    return case_record_consultation(
        case=case,
        actor=case.owner,
        consulted_on=timezone.localdate(),
        organisation="veilig_thuis",
        advisor="Adviseur Veilig Thuis",
        advice_summary="Contact is veilig, met een tolk.",
        outcome=outcome,
        young_person_informed=informed,
    )


def mark(case, key=PARENT_STEP, status=StepStatus.DONE):
    return case_update_step(case=case, actor=case.owner, step_key=key, status=status)


@pytest.fixture
def case(db):
    return make_case()


class GateTests:
    def test_parent_steps_are_locked_until_screening_is_complete(self, case):
        assert case_gate(case).reason == GateReason.SCREENING_INCOMPLETE
        with pytest.raises(GateClosed):
            mark(case)
        answer_all(case, "nee")
        assert case_gate(case).open
        assert mark(case).status == StepStatus.DONE
        answer(case, "jongere-weet-van-gesprek", "ja")
        case.refresh_from_db()
        assert case.status == CaseStatus.KLAAR_VOOR_GESPREK

    @pytest.mark.parametrize("value", ["ja", "twijfel"])
    def test_a_signal_locks_parent_steps_until_a_consultation(self, case, value):
        answer(case, "dreiging", value)
        case.refresh_from_db()
        assert case.honour_flagged
        assert case.status == CaseStatus.WACHT_OP_ADVIES
        assert case_steps(case)[0]["key"] == "raadpleeg-veilig-thuis"
        for status in (StepStatus.DONE, StepStatus.NOT_APPLICABLE, StepStatus.OPEN, None):
            with pytest.raises(GateClosed):
                case_update_step(
                    case=case, actor=case.owner, step_key=PARENT_STEP, status=status, notes="x"
                )
        assert not StepProgress.objects.filter(case=case, step_key=PARENT_STEP).exists()

    def test_the_honour_branchs_own_parent_step_is_locked_too(self, case):
        answer(case, "dreiging", "ja")
        with pytest.raises(GateClosed):
            mark(case, "meldcode-gesprek")

    def test_a_later_nee_does_not_clear_the_flag_and_needs_a_reason(self, case):
        answer(case, "dreiging", "ja")
        with pytest.raises(ValidationError):
            answer(case, "dreiging", "nee")
        answer(case, "dreiging", "nee", reason="Verkeerd begrepen")
        answer(case, "angst-familie", "nee")
        case.refresh_from_db()
        assert case.honour_flagged
        assert not case_gate(case).open
        change = ScreeningAnswerChange.objects.get(case=case)
        assert (change.old_answer, change.new_answer, change.reason) == (
            "ja",
            "nee",
            "Verkeerd begrepen",
        )

    def test_withdrawing_a_signal_does_not_clear_the_flag(self, case):
        answer(case, "dreiging", "twijfel")
        answer(case, "dreiging", "", reason="per ongeluk")
        case.refresh_from_db()
        assert case.honour_flagged

    def test_contact_veilig_opens_the_gate(self, case):
        answer(case, "dreiging", "ja")
        answer(case, "jongere-weet-van-gesprek", "ja")
        consult(case)
        case.refresh_from_db()
        assert case_gate(case).open
        assert case.status == CaseStatus.KLAAR_VOOR_GESPREK
        assert mark(case).status == StepStatus.DONE

    @pytest.mark.parametrize(
        ("outcome", "reason", "status"),
        [
            (
                ConsultationOutcome.GEEN_CONTACT_OUDERS,
                GateReason.ADVICE_NO_CONTACT,
                CaseStatus.GEEN_CONTACT_OUDERS,
            ),
            (ConsultationOutcome.MELDING_GEDAAN, GateReason.REPORT_MADE, CaseStatus.MELDING_GEDAAN),
        ],
    )
    def test_other_outcomes_keep_the_gate_closed(self, case, outcome, reason, status):
        answer(case, "dreiging", "ja")
        consult(case, outcome)
        assert case_gate(case).reason == reason
        with pytest.raises(GateClosed):
            mark(case)
        case.refresh_from_db()
        assert case.status == status

    def test_the_newest_consultation_governs(self, case):
        answer(case, "dreiging", "ja")
        consult(case)
        consult(case, ConsultationOutcome.GEEN_CONTACT_OUDERS)
        assert not case_gate(case).open
        consult(case)
        assert case_gate(case).open

    def test_a_new_signal_after_the_consultation_closes_the_gate_and_reopens_done_steps(self, case):
        answer(case, "dreiging", "ja")
        consult(case)
        mark(case)
        answer(case, "angst-familie", "twijfel")
        assert case_gate(case).reason == GateReason.NEW_SIGNAL
        case.refresh_from_db()
        assert case.status == CaseStatus.WACHT_OP_ADVIES
        assert StepProgress.objects.get(case=case, step_key=PARENT_STEP).status == "open"
        with pytest.raises(GateClosed):
            mark(case)
        consult(case)
        assert mark(case).status == StepStatus.DONE

    def test_repeating_the_same_signal_answer_is_not_a_new_signal(self, case):
        answer(case, "dreiging", "ja")
        consult(case)
        answer(case, "dreiging", "ja")
        assert case_gate(case).open

    def test_a_first_signal_on_a_clear_case_reopens_done_parent_steps(self, case):
        answer_all(case, "nee")
        mark(case)
        answer(case, "dreiging", "ja")
        assert StepProgress.objects.get(case=case, step_key=PARENT_STEP).status == "open"

    def test_non_parent_steps_stay_open_to_work_on(self, case):
        answer(case, "dreiging", "ja")
        assert mark(case, "wat-is-er-gebeurd").status == StepStatus.DONE
        assert mark(case, "raadpleeg-veilig-thuis").status == StepStatus.DONE

    def test_not_applicable_only_where_allowed(self, case):
        answer_all(case, "nee")
        with pytest.raises(ValidationError):
            mark(case, "wat-is-er-gebeurd", StepStatus.NOT_APPLICABLE)
        assert mark(case, "nazorg", StepStatus.NOT_APPLICABLE).status == "not_applicable"

    def test_steps_outside_the_case_are_refused(self, case):
        with pytest.raises(ValidationError):
            mark(case, "bestaat-niet")
        with pytest.raises(ValidationError):
            mark(case, "geen-signalen")  # only applies once the screening is clear


class ConsultationTests:
    def test_requires_the_young_person_to_be_informed(self, case):
        answer(case, "dreiging", "ja")
        with pytest.raises(ValidationError):
            consult(case, informed=False)
        assert not Consultation.objects.exists()

    def test_date_in_the_future_is_refused(self, case):
        with pytest.raises(ValidationError):
            case_record_consultation(
                case=case,
                actor=case.owner,
                consulted_on=timezone.localdate() + dt.timedelta(days=2),
                organisation="politie",
                advisor="x",
                advice_summary="x",
                outcome=ConsultationOutcome.CONTACT_OUDERS_VEILIG,
                young_person_informed=True,
            )

    def test_a_consultation_can_never_be_changed_or_deleted(self, case):
        consultation = consult(case)
        consultation.advice_summary = "anders"
        with pytest.raises(ValidationError):
            consultation.save()
        with pytest.raises(ValidationError):
            consultation.delete()
        with pytest.raises(ValidationError):
            Consultation.objects.filter(pk=consultation.pk).update(advisor="x")
        with pytest.raises(ValidationError):
            Consultation.objects.filter(pk=consultation.pk).delete()
        assert Consultation.objects.get(pk=consultation.pk).advice_summary.startswith("Contact")

    def test_the_database_refuses_an_update_too(self, case):
        consultation = consult(case)
        with pytest.raises(Exception) as error, transaction.atomic(), connection.cursor() as c:
            c.execute(
                "UPDATE cases_consultation SET advisor = %s WHERE id = %s",
                ["gewijzigd", consultation.pk],
            )
        assert "append-only" in str(error.value)
        assert Consultation.objects.get(pk=consultation.pk).advisor == "Adviseur Veilig Thuis"

    def test_the_database_refuses_an_uninformed_consultation(self, case):
        with pytest.raises(IntegrityError), transaction.atomic():
            Consultation.objects.bulk_create(
                [
                    Consultation(
                        case=case,
                        consulted_on=timezone.localdate(),
                        organisation="politie",
                        advisor="x",
                        advice_summary="x",
                        outcome="melding_gedaan",
                        young_person_informed=False,
                        seq=1,
                    )  # fmt: skip
                ]
            )


class EditRightsTests:
    def test_only_editors_change_a_case(self, case):
        from tests.factories import UserFactory

        stranger = UserFactory(team=case.team)
        with pytest.raises(PermissionDenied):
            case_answer_question(case=case, actor=stranger, question_key="dreiging", answer="ja")
        with pytest.raises(PermissionDenied):
            case_update_step(case=case, actor=stranger, step_key="wat-is-er-gebeurd", status="done")


class FoundByTheStateMachineTests:
    def test_a_later_advice_of_no_contact_reopens_done_parent_steps(self, case):
        answer(case, "dreiging", "ja")
        consult(case)
        mark(case, "meldcode-gesprek")
        consult(case, ConsultationOutcome.GEEN_CONTACT_OUDERS)
        assert StepProgress.objects.get(case=case, step_key="meldcode-gesprek").status == "open"
