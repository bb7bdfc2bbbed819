"""The Veilig Thuis gate and what follows from it, as pure functions of plain facts.

No database here: `cases.services` loads the facts and calls these to enforce the rule,
`cases.selectors` loads the same facts and calls them to show it. One rule, one place.

DESIGN.md, the gate: a case with any signal of honour-related violence (ever) keeps parent
contact locked until the newest consultation says contact is safe and no signal was answered
after it. Without signals, parent contact waits for a complete screening.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.constants import (
    AGREEMENT_QUESTION_KEY,
    CLOSED_STATUSES,
    CaseStatus,
    ConsultationOutcome,
    StepStatus,
)
from guidance.branching import applicable_steps, screening_outcome
from guidance.constants import Answer, ScreeningOutcome


class Advice(Protocol):
    """What the gate needs of the newest consultation (a Consultation has these)."""

    seq: int
    outcome: str
    consulted_on: dt.date


class GateReason:
    SCREENING_INCOMPLETE = "screening_incomplete"
    NO_CONSULTATION = "no_consultation"
    NEW_SIGNAL = "new_signal"
    ADVICE_NO_CONTACT = "advice_no_contact"
    REPORT_MADE = "report_made"


GATE_MESSAGES = {
    GateReason.SCREENING_INCOMPLETE: gettext_lazy(
        "Beantwoord eerst de screeningsvragen op signalen van eergerelateerd geweld."
    ),
    GateReason.NO_CONSULTATION: gettext_lazy(
        "Er zijn signalen van eergerelateerd geweld. Vraag eerst advies aan Veilig Thuis "
        "(0800-2000) of de politie en leg het advies vast. Tot dan geen contact met de ouders."
    ),
    GateReason.NEW_SIGNAL: gettext_lazy(
        "Er is een nieuw signaal van eergerelateerd geweld na het laatste advies. Vraag "
        "opnieuw advies aan Veilig Thuis vóór contact met de ouders."
    ),
    GateReason.ADVICE_NO_CONTACT: gettext_lazy(
        "Het advies is: geen contact met de ouders. Volg de alternatieve route."
    ),
    GateReason.REPORT_MADE: gettext_lazy(
        "Er is een melding gedaan. Geen contact met de ouders tot een nieuw advies dat "
        "contact veilig is."
    ),
}


@dataclass(frozen=True)
class Gate:
    open: bool
    reason: str | None = None

    @property
    def message(self) -> str:
        return str(GATE_MESSAGES[self.reason]) if self.reason else ""

    @property
    def waits_for_advice(self) -> bool:
        return self.reason in {GateReason.NO_CONSULTATION, GateReason.NEW_SIGNAL}


def outcome_for(
    *, flagged: bool, questions: Sequence[dict], answers: Mapping[str, str]
) -> ScreeningOutcome:
    """FLAGGED once any signal was ever answered ja or twijfel (the flag is sticky);
    otherwise what the current answers say."""
    if flagged:
        return ScreeningOutcome.FLAGGED
    return screening_outcome(questions=list(questions), answers=answers)


def gate_for(
    *, flagged: bool, last_signal_seq: int, newest: Advice | None, outcome: ScreeningOutcome
) -> Gate:
    """May the worker work on parent-contact steps now?

    Flagged: only when the newest consultation says contact is safe and no signal was
    answered after it. Not flagged: only when the screening is complete.
    """
    if flagged:
        if newest is None:
            return Gate(False, GateReason.NO_CONSULTATION)
        if last_signal_seq > newest.seq:
            return Gate(False, GateReason.NEW_SIGNAL)
        if newest.outcome == ConsultationOutcome.GEEN_CONTACT_OUDERS:
            return Gate(False, GateReason.ADVICE_NO_CONTACT)
        if newest.outcome == ConsultationOutcome.MELDING_GEDAAN:
            return Gate(False, GateReason.REPORT_MADE)
        return Gate(True)
    if outcome == ScreeningOutcome.INCOMPLETE:
        return Gate(False, GateReason.SCREENING_INCOMPLETE)
    return Gate(True)


# --- Ready for the conversation -----------------------------------------------------------


@dataclass(frozen=True)
class Readiness:
    """Ready for the conversation with the parents: the gate is open and the young person
    knows and agrees (or the worker recorded why it goes ahead anyway). `missing` says, in
    words, what is not there yet."""

    ready: bool
    missing: tuple[str, ...] = ()


def readiness_for(
    *, gate: Gate, questions: Sequence[dict], answers: Mapping[str, str], go_ahead_reason: str
) -> Readiness:
    """ "Zet nooit stappen buiten de jongere om": where the guide asks whether the young person
    knows about the conversation and agrees, only ja makes the case ready, unless the worker
    recorded why the conversation goes ahead anyway."""
    missing = []
    if not gate.open:
        missing.append(gate.message)
    asks = any(q["key"] == AGREEMENT_QUESTION_KEY for q in questions)
    if asks and answers.get(AGREEMENT_QUESTION_KEY) != Answer.JA and not go_ahead_reason.strip():
        if answers.get(AGREEMENT_QUESTION_KEY):
            missing.append(
                _(
                    "De jongere weet niet van het gesprek met de ouders of stemt er niet mee "
                    "in. Bespreek het eerst met de jongere, of leg vast waarom het gesprek toch "
                    "doorgaat."
                )
            )
        else:
            missing.append(
                _(
                    "Nog niet vastgelegd of de jongere weet van het gesprek met de ouders en "
                    "ermee instemt (screening). Of leg vast waarom het gesprek toch doorgaat."
                )
            )
    return Readiness(ready=not missing, missing=tuple(missing))


def status_for(*, current: str, gate: Gate, readiness: Readiness) -> str:
    """The status a case shows in the list and its header. A closed case keeps its status."""
    if current in CLOSED_STATUSES:
        return current
    if readiness.ready:
        return CaseStatus.KLAAR_VOOR_GESPREK
    if gate.waits_for_advice:
        return CaseStatus.WACHT_OP_ADVIES
    if gate.reason == GateReason.ADVICE_NO_CONTACT:
        return CaseStatus.GEEN_CONTACT_OUDERS
    if gate.reason == GateReason.REPORT_MADE:
        return CaseStatus.MELDING_GEDAAN
    return CaseStatus.VOORBEREIDING


def advice_label(*, flagged: bool, gate: Gate, newest: Advice | None) -> str:
    """What a flagged case shows next to its flag, for good: the current advice in words.
    Empty for a case without signals."""
    if not flagged:
        return ""
    if gate.reason == GateReason.NEW_SIGNAL:
        return _("Nieuw signaal na het advies: wacht op nieuw advies")
    if newest is None:
        return _("Wacht op advies Veilig Thuis")
    if newest.outcome == ConsultationOutcome.GEEN_CONTACT_OUDERS:
        return _("Advies: geen contact met ouders")
    if newest.outcome == ConsultationOutcome.MELDING_GEDAAN:
        return _("Melding gedaan")
    return _("Contact veilig na advies (%(date)s)") % {
        "date": date_format(newest.consulted_on, "j F Y")
    }


# --- Steps ----------------------------------------------------------------------------------


@dataclass
class StepView:
    """A step of the case as the worker meets it: the guide version's spec, the worker's
    progress and notes, and whether the gate locks it."""

    spec: dict
    status: str = StepStatus.OPEN
    notes: str = ""
    locked: bool = False

    @property
    def key(self) -> str:
        return self.spec["key"]


def steps_for(
    *,
    snapshot: dict,
    outcome: ScreeningOutcome,
    gate: Gate,
    progress: Mapping[str, tuple[str, str]],
) -> list[StepView]:
    """The steps that apply, in order, with progress (status, notes) by step key; a
    parent-contact step is locked while the gate is closed."""
    steps = []
    for spec in applicable_steps(snapshot=snapshot, outcome=outcome):
        status, notes = progress.get(spec["key"], (StepStatus.OPEN, ""))
        locked = spec["involves_parent_contact"] and not gate.open
        steps.append(StepView(spec=spec, status=status, notes=notes, locked=locked))
    return steps


def next_step(steps: Sequence[StepView]) -> StepView | None:
    """Where the worker left off: the first open step that is not locked, else the first
    open one (locked: its page says why)."""
    for step in steps:
        if step.status == StepStatus.OPEN and not step.locked:
            return step
    return next((s for s in steps if s.status == StepStatus.OPEN), None)
