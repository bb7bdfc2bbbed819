"""Statuses that tell the truth: the advice in words for good, and "klaar voor gesprek" only
when the gate is open and the young person knows and agrees (or the worker says why the
conversation goes ahead anyway). Tested on the pure rules, the services and over HTTP."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.formats import date_format

from cases.constants import AGREEMENT_QUESTION_KEY, CaseStatus, ConsultationOutcome
from cases.gate import Gate, GateReason, advice_label, gate_for, readiness_for, status_for
from cases.selectors import case_workspace
from cases.services import (
    case_answer_question,
    case_record_consultation,
    case_record_go_ahead,
    case_share,
)
from guidance.constants import ScreeningOutcome
from tests.factories import UserFactory, make_case, make_guide

QUESTIONS = [
    {"key": "dreiging", "is_honour_signal": True},
    {"key": AGREEMENT_QUESTION_KEY, "is_honour_signal": False},
]


def answer(case, key, value, reason=""):
    case_answer_question(case=case, actor=case.owner, question_key=key, answer=value, reason=reason)
    case.refresh_from_db()


def consult(case, outcome=ConsultationOutcome.CONTACT_OUDERS_VEILIG):
    consultation = case_record_consultation(
        case=case, actor=case.owner, consulted_on=timezone.localdate(),
        organisation="veilig_thuis", advisor="Adviseur", advice_summary="Advies.",
        outcome=outcome, young_person_informed=True,
    )  # fmt: skip
    case.refresh_from_db()
    return consultation


@pytest.fixture
def case(db):
    return make_case()


class PureRuleTests:
    def test_an_open_gate_is_not_ready_while_the_young_person_does_not_know(self):
        readiness = readiness_for(
            gate=Gate(True), questions=QUESTIONS, answers={AGREEMENT_QUESTION_KEY: "nee"},
            go_ahead_reason="",
        )  # fmt: skip
        assert not readiness.ready
        assert "weet niet van het gesprek" in readiness.missing[0]
        status = status_for(current=CaseStatus.VOORBEREIDING, gate=Gate(True), readiness=readiness)
        assert status == CaseStatus.VOORBEREIDING

    @pytest.mark.parametrize(
        ("answers", "reason", "ready"),
        [
            ({AGREEMENT_QUESTION_KEY: "ja"}, "", True),
            ({AGREEMENT_QUESTION_KEY: "twijfel"}, "", False),
            ({}, "", False),
            ({}, "  ", False),
            ({AGREEMENT_QUESTION_KEY: "nee"}, "Afgesproken met Veilig Thuis.", True),
        ],
    )
    def test_ready_needs_ja_or_a_reason(self, answers, reason, ready):
        readiness = readiness_for(
            gate=Gate(True), questions=QUESTIONS, answers=answers, go_ahead_reason=reason
        )
        assert readiness.ready is ready
        assert bool(readiness.missing) is not ready

    def test_a_closed_gate_is_never_ready_and_says_why(self):
        gate = Gate(False, GateReason.NO_CONSULTATION)
        readiness = readiness_for(
            gate=gate, questions=QUESTIONS, answers={AGREEMENT_QUESTION_KEY: "ja"},
            go_ahead_reason="reden",
        )  # fmt: skip
        assert not readiness.ready
        assert readiness.missing == (gate.message,)

    def test_a_guide_without_the_question_needs_only_the_gate(self):
        readiness = readiness_for(gate=Gate(True), questions=[], answers={}, go_ahead_reason="")
        assert readiness.ready

    def test_a_closed_case_keeps_its_status(self):
        readiness = readiness_for(gate=Gate(True), questions=[], answers={}, go_ahead_reason="")
        status = status_for(current=CaseStatus.AFGEROND, gate=Gate(True), readiness=readiness)
        assert status == CaseStatus.AFGEROND

    def test_the_advice_label_names_the_outcome_and_the_date(self):
        class Advice:
            seq = 3
            consulted_on = dt.date(2026, 11, 3)
            outcome = ConsultationOutcome.CONTACT_OUDERS_VEILIG

        gate = gate_for(
            flagged=True, last_signal_seq=1, newest=Advice, outcome=ScreeningOutcome.FLAGGED
        )
        label = advice_label(flagged=True, gate=gate, newest=Advice)
        assert label == "Contact veilig na advies (3 november 2026)"
        assert advice_label(flagged=False, gate=gate, newest=Advice) == ""
        stale = gate_for(
            flagged=True, last_signal_seq=4, newest=Advice, outcome=ScreeningOutcome.FLAGGED
        )
        assert "Nieuw signaal" in advice_label(flagged=True, gate=stale, newest=Advice)


class StatusPerOutcomeTests:
    def test_a_signal_without_advice_waits_for_advice(self, case):
        answer(case, "dreiging", "ja")
        assert case.status == CaseStatus.WACHT_OP_ADVIES
        assert case_workspace(case).advice == "Wacht op advies Veilig Thuis"

    @pytest.mark.parametrize(
        ("outcome", "status", "label"),
        [
            (
                ConsultationOutcome.GEEN_CONTACT_OUDERS,
                CaseStatus.GEEN_CONTACT_OUDERS,
                "Advies: geen contact met ouders",
            ),
            (ConsultationOutcome.MELDING_GEDAAN, CaseStatus.MELDING_GEDAAN, "Melding gedaan"),
        ],
    )
    def test_advice_that_keeps_the_gate_closed_shows_as_such(self, case, outcome, status, label):
        answer(case, "dreiging", "ja")
        answer(case, AGREEMENT_QUESTION_KEY, "ja")
        consult(case, outcome)
        assert case.status == status
        assert case.status != CaseStatus.VOORBEREIDING
        assert case_workspace(case).advice == label

    def test_contact_veilig_and_the_young_person_agrees_is_ready(self, case):
        answer(case, "dreiging", "ja")
        answer(case, AGREEMENT_QUESTION_KEY, "ja")
        consultation = consult(case)
        assert case.status == CaseStatus.KLAAR_VOOR_GESPREK
        date = date_format(consultation.consulted_on, "j F Y")
        assert case_workspace(case).advice == f"Contact veilig na advies ({date})"

    def test_contact_veilig_but_the_young_person_does_not_know_is_not_ready(self, case):
        answer(case, "dreiging", "ja")
        answer(case, AGREEMENT_QUESTION_KEY, "nee")
        consult(case)
        assert case.status == CaseStatus.VOORBEREIDING
        workspace = case_workspace(case)
        assert workspace.gate.open
        assert not workspace.readiness.ready
        assert case.honour_flagged

    def test_no_signals_and_the_young_person_does_not_know_is_not_ready(self, case):
        answer(case, "dreiging", "nee")
        answer(case, "angst-familie", "nee")
        answer(case, AGREEMENT_QUESTION_KEY, "nee")
        assert case.status == CaseStatus.VOORBEREIDING
        answer(case, AGREEMENT_QUESTION_KEY, "ja")
        assert case.status == CaseStatus.KLAAR_VOOR_GESPREK

    def test_a_recorded_reason_makes_it_ready_and_withdrawing_it_does_not(self, case):
        answer(case, "dreiging", "ja")
        answer(case, AGREEMENT_QUESTION_KEY, "nee")
        consult(case)
        case_record_go_ahead(case=case, actor=case.owner, reason="Afgesproken met Veilig Thuis.")
        case.refresh_from_db()
        assert case.status == CaseStatus.KLAAR_VOOR_GESPREK
        assert case.go_ahead_recorded_at is not None
        case_record_go_ahead(case=case, actor=case.owner, reason=" ")
        case.refresh_from_db()
        assert case.status == CaseStatus.VOORBEREIDING
        assert case.go_ahead_recorded_at is None

    def test_a_reason_does_not_open_a_closed_gate(self, case):
        answer(case, "dreiging", "ja")
        case_record_go_ahead(case=case, actor=case.owner, reason="Toch doorgaan.")
        case.refresh_from_db()
        assert case.status == CaseStatus.WACHT_OP_ADVIES
        assert not case_workspace(case).gate.open

    def test_only_editors_record_a_reason(self, case):
        reader = UserFactory(team=case.team)
        case_share(case=case, actor=case.owner, user=reader, level="read")
        with pytest.raises(PermissionDenied):
            case_record_go_ahead(case=case, actor=reader, reason="x")

    def test_a_guide_without_screening_is_ready_at_once(self, db):
        guide = make_guide(slug="voorlichting", with_branch=False)
        case = make_case(guide=guide)
        assert case.status == CaseStatus.KLAAR_VOOR_GESPREK


def url(case, suffix=""):
    return f"/casussen/{case.reference}/{suffix}"


class StatusOverHttpTests:
    def test_the_flag_stays_in_the_list_after_contact_veilig(self, client, case):
        answer(case, "dreiging", "ja")
        answer(case, AGREEMENT_QUESTION_KEY, "ja")
        consultation = consult(case)
        client.force_login(case.owner)
        html = client.get("/casussen/").content.decode()
        assert "Signalen van eergerelateerd geweld" in html
        assert (
            f"Contact veilig na advies ({date_format(consultation.consulted_on, 'j F Y')})" in html
        )
        assert "Klaar voor gesprek" in html

    @pytest.mark.parametrize(
        ("outcome", "label"),
        [
            (ConsultationOutcome.GEEN_CONTACT_OUDERS, "Advies: geen contact met ouders"),
            (ConsultationOutcome.MELDING_GEDAAN, "Melding gedaan"),
        ],
    )
    def test_the_list_and_header_say_the_advice(self, client, case, outcome, label):
        answer(case, "dreiging", "ja")
        consult(case, outcome)
        client.force_login(case.owner)
        listing = client.get("/casussen/").content.decode()
        assert label in listing
        assert "Voorbereiding" not in listing
        header = client.get(url(case)).content.decode()
        assert label in header

    def test_the_case_page_warns_what_is_missing(self, client, case):
        answer(case, "dreiging", "ja")
        answer(case, AGREEMENT_QUESTION_KEY, "nee")
        consult(case)
        client.force_login(case.owner)
        html = client.get(url(case)).content.decode()
        assert "Nog niet klaar voor het gesprek met de ouders." in html
        assert "weet niet van het gesprek" in html
        assert f'href="{url(case, "doorgaan/")}"' in html
        assert "Klaar voor gesprek" not in html

    def test_recording_the_reason_over_http(self, client, case):
        answer(case, "dreiging", "nee")
        answer(case, "angst-familie", "nee")
        answer(case, AGREEMENT_QUESTION_KEY, "nee")
        client.force_login(case.owner)
        response = client.post(url(case, "doorgaan/"), {"reason": ""})
        assert response.status_code == 400
        assert "Schrijf op waarom het gesprek toch doorgaat." in response.content.decode()
        case.refresh_from_db()
        assert case.status == CaseStatus.VOORBEREIDING
        response = client.post(
            url(case, "doorgaan/"), {"reason": "Afgesproken met de jongere.", "version": 1}
        )
        assert response.status_code == 302
        case.refresh_from_db()
        assert case.status == CaseStatus.KLAAR_VOOR_GESPREK
        assert case.go_ahead_reason == "Afgesproken met de jongere."
