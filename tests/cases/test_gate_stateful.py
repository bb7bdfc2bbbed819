"""The gate as a state machine: random sequences of answering, withdrawing, consulting and
working on steps, checked after every action against an independent model of DESIGN.md's
rules. `make test` runs a modest number of examples; HYPOTHESIS_PROFILE=deep runs 10,000."""

import os

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from cases.constants import ConsultationOutcome, StepStatus
from cases.models import Consultation, StepProgress
from cases.selectors import case_gate
from cases.services import (
    GateClosed,
    case_answer_question,
    case_record_consultation,
    case_update_step,
)
from tests.factories import UserFactory, make_case, make_guide

SIGNAL_QUESTIONS = ["dreiging", "angst-familie"]
QUESTIONS = [*SIGNAL_QUESTIONS, "jongere-weet-van-gesprek"]
ANSWERS = ["ja", "nee", "twijfel", ""]
OUTCOMES = list(ConsultationOutcome.values)
STEP_KEYS = [
    "raadpleeg-veilig-thuis",
    "meldcode-gesprek",
    "wat-is-er-gebeurd",
    "kennis-eer",
    "geen-signalen",
    "vertrouwen",
    "alleen-bij-eer",
    "nazorg",
]
PARENT_STEPS = {"vertrouwen", "meldcode-gesprek"}


class GateMachine(RuleBasedStateMachine):
    owner = None

    @initialize()
    def start(self):
        self.savepoint = transaction.savepoint()
        self.case = make_case(owner=self.owner)
        # The model: what DESIGN.md says the state must be, kept apart from the service.
        self.answers: dict[str, str] = {}
        self.flagged = False
        self.seq = 0
        self.last_signal = 0
        self.newest: tuple[int, str] | None = None
        self.consultations: dict[int, tuple] = {}

    def teardown(self):
        if getattr(self, "savepoint", None):
            transaction.savepoint_rollback(self.savepoint)

    def expected_gate_open(self) -> bool:
        if self.flagged:
            return (
                self.newest is not None
                and self.newest[0] > self.last_signal
                and self.newest[1] == ConsultationOutcome.CONTACT_OUDERS_VEILIG
            )
        return all(self.answers.get(key) == "nee" for key in SIGNAL_QUESTIONS)

    @rule(
        key=st.sampled_from(QUESTIONS),
        value=st.sampled_from(ANSWERS),
        with_reason=st.booleans(),
    )
    def answer(self, key, value, with_reason):
        old = self.answers.get(key, "")
        try:
            case_answer_question(
                case=self.case, actor=self.case.owner, question_key=key, answer=value,
                reason="reden" if with_reason else "",
            )  # fmt: skip
        except ValidationError:
            softening = old in {"ja", "twijfel"} and value not in {"ja", "twijfel"}
            assert key in SIGNAL_QUESTIONS and softening and not with_reason
            return
        if value:
            self.answers[key] = value
        else:
            self.answers.pop(key, None)
        if key in SIGNAL_QUESTIONS and value in {"ja", "twijfel"} and value != old:
            self.seq += 1
            self.last_signal = self.seq
            self.flagged = True

    @rule(outcome=st.sampled_from(OUTCOMES), informed=st.booleans())
    def consult(self, outcome, informed):
        try:
            consultation = case_record_consultation(
                case=self.case, actor=self.case.owner, consulted_on=timezone.localdate(),
                organisation="veilig_thuis", advisor="adviseur", advice_summary="advies",
                outcome=outcome, young_person_informed=informed,
            )  # fmt: skip
        except ValidationError:
            assert not informed
            return
        assert informed
        self.seq += 1
        self.newest = (self.seq, outcome)
        self.consultations[consultation.pk] = (outcome, "advies", "adviseur")

    @rule(
        key=st.sampled_from(STEP_KEYS),
        status=st.sampled_from([StepStatus.DONE, StepStatus.NOT_APPLICABLE, StepStatus.OPEN]),
    )
    def work_on_step(self, key, status):
        gate_open = self.expected_gate_open()
        try:
            case_update_step(case=self.case, actor=self.case.owner, step_key=key, status=status)
        except GateClosed:
            assert key in PARENT_STEPS and not gate_open
            return
        except ValidationError:
            return  # a step that does not apply now, or may not be skipped
        assert key not in PARENT_STEPS or gate_open

    @rule()
    def try_to_change_a_consultation(self):
        consultation = Consultation.objects.filter(case=self.case).first()
        if consultation is None:
            return
        consultation.outcome = ConsultationOutcome.CONTACT_OUDERS_VEILIG
        for attempt in (consultation.save, consultation.delete):
            try:
                attempt()
            except (ValidationError, PermissionDenied):
                continue
            raise AssertionError("a consultation was changed")

    @invariant()
    def gate_matches_the_rules(self):
        if not hasattr(self, "case"):
            return
        self.case.refresh_from_db()
        assert case_gate(self.case).open == self.expected_gate_open()

    @invariant()
    def no_parent_step_is_done_while_the_gate_is_closed(self):
        if not hasattr(self, "case") or self.expected_gate_open():
            return
        done = StepProgress.objects.filter(
            case=self.case, step_key__in=PARENT_STEPS, status=StepStatus.DONE
        )
        assert not done.exists()

    @invariant()
    def a_flag_is_never_cleared_without_a_consultation(self):
        if not hasattr(self, "case"):
            return
        assert self.case.honour_flagged == self.flagged

    @invariant()
    def a_signal_newer_than_the_newest_consultation_closes_the_gate(self):
        if not hasattr(self, "case"):
            return
        newest = self.case.consultations.order_by("-seq").first()
        if self.case.honour_flagged and (newest is None or self.case.last_signal_seq > newest.seq):
            assert not case_gate(self.case).open

    @invariant()
    def consultations_are_never_changed(self):
        if not hasattr(self, "case"):
            return
        stored = {
            c.pk: (c.outcome, c.advice_summary, c.advisor)
            for c in Consultation.objects.filter(case=self.case)
        }
        assert stored == self.consultations


@pytest.mark.django_db(transaction=False)
def test_the_gate_holds_for_any_sequence_of_actions(db):
    make_guide()
    GateMachine.owner = UserFactory()
    deep = os.environ.get("HYPOTHESIS_PROFILE") == "deep"
    run_state_machine_as_test(
        GateMachine,
        settings=settings(
            max_examples=10_000 if deep else 40, stateful_step_count=25 if deep else 20
        ),
    )
