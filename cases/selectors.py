"""Reads for cases. Every read of a case goes through `case_for_user`: the owner and the
team members it is shared with see it; for everybody else it does not exist (404).

The gate's rules are in `cases.gate` (pure); the functions here load the facts and ask it.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.utils import timezone

from accounts.constants import Role
from accounts.selectors import team_medewerkers
from cases.constants import (
    ALTERNATIVE_ROUTE_STEP_KEY,
    CLOSED_STATUSES,
    PARENT_LANGUAGES,
    ShareLevel,
    StepStatus,
)
from cases.gate import (
    Gate,
    Readiness,
    StepView,
    advice_label,
    gate_for,
    next_step,
    outcome_for,
    readiness_for,
    status_for,
    steps_for,
)
from cases.models import AccessLog, Case, CaseShare, Consultation
from glossary.selectors import terms_by_slug
from guidance.constants import CONSULT_STEP_KEY, ScreeningOutcome, StepKind
from guidance.models import GuideVersion
from guidance.selectors import step_referrals
from guidance.services import applicable_steps
from resources.constants import Situation as RouteSituation
from resources.selectors import resources_for_parents


def _visible(user) -> Q:
    """Own cases, and cases shared with the user while they may hold a share: an active
    Medewerker of the case's team (see cases.services.may_hold_share)."""
    if user.is_active and user.role == Role.MEDEWERKER and user.team_id is not None:
        return Q(owner=user) | Q(shares__user=user, team_id=user.team_id)
    return Q(owner=user)


def cases_visible_to(user) -> QuerySet[Case]:
    return Case.objects.filter(_visible(user)).distinct()


def case_for_user(*, user, reference: str) -> Case:
    """The case if `user` owns it or it is shared with them; Case.DoesNotExist otherwise,
    whoever asks (coordinators, admins and superusers included)."""
    return (
        Case.objects.filter(reference=reference)
        .filter(_visible(user))
        .select_related("guide_version__guide", "owner", "team")
        .annotate(
            can_edit_flag=Exists(
                CaseShare.objects.filter(case=OuterRef("pk"), user=user, level=ShareLevel.EDIT)
            )
        )
        .distinct()
        .get()
    )


def share_holders(*, case: Case) -> QuerySet:
    """Everybody holding a share of `case`, also a colleague who has left the team: the owner
    can always end a share."""
    return get_user_model().objects.filter(case_shares__case=case)


def user_can_edit(case: Case, user) -> bool:
    return case.owner_id == user.pk or bool(getattr(case, "can_edit_flag", False))


def share_candidates(*, case: Case, user) -> QuerySet:
    """The colleagues the owner may share the case with: active Medewerkers of the case's
    team (never a Coördinator or Beheerder; see cases.services.may_hold_share)."""
    return team_medewerkers(team_id=case.team_id, exclude_pk=user.pk)


# --- The gate, read from the database ------------------------------------------------------


def case_answers(case: Case) -> dict[str, str]:
    return dict(case.answers.values_list("question_key", "answer"))


def newest_consultation(case: Case) -> Consultation | None:
    return case.consultations.order_by("-seq").first()


def case_outcome(case: Case, answers: dict[str, str] | None = None) -> ScreeningOutcome:
    answers = case_answers(case) if answers is None else answers
    return outcome_for(
        flagged=case.honour_flagged,
        questions=case.guide_version.snapshot["questions"],
        answers=answers,
    )


def case_gate(case: Case) -> Gate:
    """May the worker work on parent-contact steps of this case now? (See cases.gate.)"""
    return gate_for(
        flagged=case.honour_flagged,
        last_signal_seq=case.last_signal_seq,
        newest=newest_consultation(case) if case.honour_flagged else None,
        outcome=case_outcome(case),
    )


def case_steps(case: Case) -> list[dict]:
    """The guide version's steps that apply to this case, in order (specs only)."""
    return applicable_steps(snapshot=case.guide_version.snapshot, outcome=case_outcome(case))


# --- The case pages --------------------------------------------------------------------------


@dataclass
class Workspace:
    """Everything the case pages show, computed once per request (three queries)."""

    case: Case
    gate: Gate
    readiness: Readiness
    outcome: str
    answers: dict[str, str]
    steps: list[StepView]
    consultations: list[Consultation]
    questions: list[dict] = field(default_factory=list)

    @property
    def current(self) -> StepView | None:
        return next_step(self.steps)

    @property
    def newest_consultation(self) -> Consultation | None:
        return self.consultations[-1] if self.consultations else None

    @property
    def advice(self) -> str:
        return advice_label(
            flagged=self.case.honour_flagged, gate=self.gate, newest=self.newest_consultation
        )

    @property
    def status(self) -> str:
        return status_for(current=self.case.status, gate=self.gate, readiness=self.readiness)

    @property
    def screening_complete(self) -> bool:
        return self.outcome != ScreeningOutcome.INCOMPLETE

    @property
    def consult_step_key(self) -> str:
        return CONSULT_STEP_KEY

    @property
    def alternative_route_key(self) -> str:
        return ALTERNATIVE_ROUTE_STEP_KEY

    @property
    def has_consult_step(self) -> bool:
        return any(step.key == CONSULT_STEP_KEY for step in self.steps)

    @property
    def done_count(self) -> int:
        return sum(1 for s in self.steps if s.status != StepStatus.OPEN)

    @property
    def is_closed(self) -> bool:
        return self.case.status in CLOSED_STATUSES

    def step(self, key: str) -> StepView | None:
        return next((s for s in self.steps if s.key == key), None)


def _answers_and_progress(case: Case) -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """The screening answers and the steps' progress (status, notes) of `case`, one query."""
    answers = case.answers.order_by().values_list(Value("a"), "question_key", "answer", Value(""))
    progress = case.progress.order_by().values_list(Value("p"), "step_key", "status", "notes")
    found: dict[str, dict] = {"a": {}, "p": {}}
    for kind, key, value, notes in answers.union(progress, all=True):
        found[kind][key] = value if kind == "a" else (value, notes)
    return found["a"], found["p"]


def case_workspace(case: Case) -> Workspace:
    """Three queries at most: answers with progress, and the consultations (none before the
    first signal or consultation: both count in event_seq)."""
    answers, progress = _answers_and_progress(case)
    consultations = list(case.consultations.order_by("seq")) if case.event_seq else []
    snapshot = case.guide_version.snapshot
    outcome = outcome_for(
        flagged=case.honour_flagged, questions=snapshot["questions"], answers=answers
    )
    gate = gate_for(
        flagged=case.honour_flagged,
        last_signal_seq=case.last_signal_seq,
        newest=consultations[-1] if consultations else None,
        outcome=outcome,
    )
    return Workspace(
        case=case,
        gate=gate,
        readiness=readiness_for(
            gate=gate,
            questions=snapshot["questions"],
            answers=answers,
            go_ahead_reason=case.go_ahead_reason,
        ),
        outcome=outcome,
        answers=answers,
        steps=steps_for(snapshot=snapshot, outcome=outcome, gate=gate, progress=progress),
        consultations=consultations,
        questions=snapshot["questions"],
    )


# --- The case list ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _NewestAdvice:
    seq: int
    outcome: str
    consulted_on: object


@dataclass(frozen=True)
class CaseListItem:
    """One row of "Mijn casussen": what a worker recognises a case by, and its flag with the
    current advice, for good."""

    case: Case
    next_step_title: dict | None
    advice: str


def my_cases(*, user) -> list[CaseListItem]:
    """The user's own and shared cases for the list page, newest activity first. Three
    queries however many cases: the cases (with their newest advice), the guide versions'
    snapshots (few), and nothing per case."""
    newest = Consultation.objects.filter(case=OuterRef("pk")).order_by("-seq")
    cases = list(
        cases_visible_to(user)
        .select_related("guide_version__guide")
        .defer("guide_version__snapshot", "notes", "go_ahead_reason")
        .annotate(
            newest_seq=Subquery(newest.values("seq")[:1]),
            newest_outcome=Subquery(newest.values("outcome")[:1]),
            newest_on=Subquery(newest.values("consulted_on")[:1]),
        )
        .order_by("-last_activity_at")
    )
    snapshots = dict(
        GuideVersion.objects.filter(pk__in={c.guide_version_id for c in cases}).values_list(
            "pk", "snapshot"
        )
    )
    items = []
    for case in cases:
        steps = {s["key"]: s for s in snapshots[case.guide_version_id]["steps"]}
        advice = None
        if case.newest_seq is not None:
            advice = _NewestAdvice(case.newest_seq, case.newest_outcome, case.newest_on)
        # The gate of a flagged case needs only the flag, the signal counter and the newest
        # advice, all loaded here; a case without signals shows no flag.
        gate = gate_for(
            flagged=case.honour_flagged,
            last_signal_seq=case.last_signal_seq,
            newest=advice,
            outcome=ScreeningOutcome.FLAGGED if case.honour_flagged else ScreeningOutcome.CLEAR,
        )
        step = steps.get(case.next_step_key)
        items.append(
            CaseListItem(
                case=case,
                next_step_title=step["title"] if step else None,
                advice=advice_label(flagged=case.honour_flagged, gate=gate, newest=advice),
            )
        )
    return items


def case_log(*, case: Case) -> QuerySet[AccessLog]:
    return case.access_log.select_related("user").order_by("-at", "-pk")


# --- The conversation plan ------------------------------------------------------------------

KEY_MESSAGES_MIN = 3
KEY_MESSAGES_MAX = 5


@dataclass(frozen=True)
class KeyMessage:
    """One thing to get across in the conversation, word for word from the guide version
    ({"nl": …, "en": …}), with the title of the step it comes from."""

    text: dict
    step_title: dict


def key_messages(steps: list[StepView]) -> list[KeyMessage]:
    """The key messages for this conversation, taken from the guide version, never written
    here: the "wel doen" advice of the conversation steps with the parents that apply, are not
    skipped and are not locked. The first of each step, in order; a second round when that
    gives fewer than three; never more than five. A closed gate gives none."""
    talks = [
        step
        for step in steps
        if step.spec["kind"] == StepKind.GESPREK_MET_OUDERS
        and not step.locked
        and step.status != StepStatus.NOT_APPLICABLE
    ]
    messages: list[KeyMessage] = []
    depth = max((len(step.spec["dos"].get("nl", [])) for step in talks), default=0)
    for index in range(depth):
        if index > 0 and len(messages) >= KEY_MESSAGES_MIN:
            break
        for step in talks:
            dos = step.spec["dos"]
            if index < len(dos.get("nl", [])) and len(messages) < KEY_MESSAGES_MAX:
                text = {lang: items[index] for lang, items in dos.items() if index < len(items)}
                messages.append(KeyMessage(text=text, step_title=step.spec["title"]))
    return messages


PLAN_MATERIAL_MAX = 8


def _referral_steps(steps: list[StepView], gate: Gate) -> list[StepView]:
    """The steps whose routes are this case's referrals: the referral steps that apply and
    are open to work on (the alternative route only while contact is not allowed); a guide
    without one (the group guide) uses its conversation steps."""
    usable = [
        s
        for s in steps
        if not s.locked
        and s.status != StepStatus.NOT_APPLICABLE
        and not (gate.open and s.key == ALTERNATIVE_ROUTE_STEP_KEY)
    ]
    referral = [s for s in usable if s.spec["kind"] == StepKind.VERWIJZING]
    return referral or [s for s in usable if s.spec["kind"] == StepKind.GESPREK_MET_OUDERS]


def _plan_routes(specs: list[dict], *, user) -> list:
    """The routes of these steps, once each; acute danger is on page one already."""
    routes = []
    for links in step_referrals(specs, user=user).values():
        for route in links["routes"]:
            if route not in routes and route.situation != RouteSituation.ACUUT_GEVAAR:
                routes.append(route)
    return routes


def _plan_material(*, user, languages: list[str]) -> list:
    """Material for parents in their languages, that in their first language first; a few,
    the social map has the rest."""
    material = resources_for_parents(user=user, languages=languages)
    if languages:
        first = languages[0]
        material.sort(key=lambda r: first not in {lang.code for lang in r.languages.all()})
    return material[:PLAN_MATERIAL_MAX]


@dataclass(frozen=True)
class Plan:
    """The conversation plan: page one is the summary (situation, the gate in words, the
    advice, key messages, whom to call, referrals, next step); then the worker's notes per
    step; the guide's full text only as an appendix."""

    workspace: Workspace
    key_messages: list[KeyMessage]
    referrals: list
    steps: list[StepView]
    languages: list[str]
    parent_language: str
    parent_material: list
    terms: list
    appendix: bool
    printed_on: dt.date

    @property
    def case(self) -> Case:
        return self.workspace.case

    @property
    def next_step(self) -> StepView | None:
        return self.workspace.current

    @property
    def noted_steps(self) -> list[StepView]:
        return [step for step in self.steps if step.notes.strip()]


def case_plan(*, case: Case, user, appendix: bool = False) -> Plan:
    """Assemble the plan of `case` as `user` may see it (routes and material of their
    region). Steps marked not applicable leave the plan; a locked step shows no script."""
    workspace = case_workspace(case)
    steps = [s for s in workspace.steps if s.status != StepStatus.NOT_APPLICABLE]
    referral_specs = [s.spec for s in _referral_steps(steps, workspace.gate)]
    terms = []
    if appendix:
        slugs = {slug for s in steps if not s.locked for slug in s.spec["terms"]}
        terms = sorted(terms_by_slug(slugs).values(), key=lambda t: t.pref_label.lower())
    names = dict(PARENT_LANGUAGES)
    return Plan(
        workspace=workspace,
        key_messages=key_messages(steps),
        referrals=_plan_routes(referral_specs, user=user),
        steps=steps,
        languages=[str(names.get(code, code)) for code in case.parent_languages],
        parent_language=case.parent_languages[0] if case.parent_languages else "",
        parent_material=_plan_material(user=user, languages=case.parent_languages),
        terms=terms,
        appendix=appendix,
        printed_on=timezone.localdate(),
    )
