"""Reads for cases. Every read of a case goes through `case_for_user`: the owner and the
team members it is shared with see it; for everybody else it does not exist (404).

The gate's rules are in `cases.gate` (pure); the functions here load the facts and ask it.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.constants import Role
from accounts.selectors import team_medewerkers
from cases.constants import (
    ALTERNATIVE_ROUTE_STEP_KEY,
    CLOSED_STATUSES,
    PARENT_LANGUAGES,
    AccessAction,
    CaseText,
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
from cases.models import AccessLog, Case, CaseShare, CaseTextVersion, Consultation, StepProgress
from config.concurrency import display_value
from glossary.selectors import terms_by_slug
from guidance.branching import applicable_steps
from guidance.constants import CONSULT_STEP_KEY, Answer, ScreeningOutcome, StepKind
from guidance.models import GuideVersion
from guidance.selectors import step_referrals
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
        .select_related("guide_version__guide")
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
    # The version of each step's saved progress (a step without one is at version 0).
    step_versions: dict[str, int] = field(default_factory=dict)

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

    def step_version(self, key: str) -> int:
        return self.step_versions.get(key, 0)


def _answers_and_progress(
    case: Case,
) -> tuple[dict[str, str], dict[str, tuple[str, str]], dict[str, int]]:
    """The screening answers, the steps' progress (status, notes) and the steps' versions
    (what a save is checked against) of `case`, in one query."""
    answers = case.answers.order_by().values_list(
        Value("a"), "question_key", "answer", Value(""), Value(0)
    )
    progress = case.progress.order_by().values_list(
        Value("p"), "step_key", "status", "notes", "version"
    )
    found: dict[str, dict] = {"a": {}, "p": {}}
    versions: dict[str, int] = {}
    for kind, key, value, notes, version in answers.union(progress, all=True):
        found[kind][key] = value if kind == "a" else (value, notes)
        if kind == "p":
            versions[key] = version
    return found["a"], found["p"], versions


def case_workspace(case: Case) -> Workspace:
    """Three queries at most: answers with progress, and the consultations (none before the
    first signal or consultation: both count in event_seq)."""
    answers, progress, step_versions = _answers_and_progress(case)
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
        step_versions=step_versions,
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


# --- Conflicts: what a colleague saved while the user was typing ----------------------------


@dataclass(frozen=True)
class ConflictItem:
    """One field that differs: what is stored now and what the user sent."""

    label: str
    theirs: str
    mine: str
    is_text: bool = False  # free text, shown through the sanitiser (Markdown)


@dataclass(frozen=True)
class Conflict:
    """A save refused because the record moved on (config/concurrency.py): what is stored
    now, by whom and when, and the version a merge is saved against."""

    items: list[ConflictItem]
    version: int = 0
    by: object = None
    at: dt.datetime | None = None
    versions: dict[str, int] = field(default_factory=dict)  # of several rows (screening)


def _last_update(case: Case, detail: str) -> AccessLog | None:
    return (
        case.access_log.filter(action=AccessAction.UPDATE, detail=detail)
        .select_related("user")
        .order_by("-at", "-pk")
        .first()
    )


def step_conflict(
    *, case: Case, step_key: str, label: str, notes: str | None, status: str | None
) -> Conflict:
    """What the step's notes and status are now, beside what the user sent (None: not
    sent, so not changed by this save)."""
    progress = (
        StepProgress.objects.filter(case=case, step_key=step_key)
        .select_related("updated_by")
        .first()
    )
    if progress is None:
        return Conflict(items=[], version=0)
    items = []
    if notes is not None and notes != progress.notes:
        items.append(ConflictItem(label=label, theirs=progress.notes, mine=notes, is_text=True))
    if status is not None and status != progress.status:
        mine = StepStatus(status).label
        items.append(
            ConflictItem(label=str(_("Status")), theirs=progress.get_status_display(), mine=mine)
        )
    return Conflict(
        items=items,
        version=progress.version,
        by=progress.updated_by,
        at=progress.updated_at,
    )


TEXT_FIELDS = frozenset({"notes", "cultural_context", "go_ahead_reason"})


def case_conflict(*, case: Case, sent: dict, labels: dict, detail: str = "") -> Conflict:
    """The case as stored now, field by field where it differs from what the user sent."""
    stored = Case.objects.get(pk=case.pk)
    mine = Case(**sent)

    def shown(obj: Case, name: str) -> str:
        return getattr(obj, name) if name in TEXT_FIELDS else display_value(obj, name)

    items = [
        ConflictItem(
            label=str(labels.get(name, name)),
            theirs=shown(stored, name),
            mine=shown(mine, name),
            is_text=name in TEXT_FIELDS,
        )
        for name, value in sent.items()
        if getattr(stored, name) != value
    ]
    last = _last_update(case, detail)
    return Conflict(
        items=items,
        version=stored.version,
        by=last.user if last else None,
        at=last.at if last else None,
    )


def screening_conflict(
    *, case: Case, keys: list[str], sent: dict[str, tuple[str, str]], questions: list[dict]
) -> Conflict:
    """The answers a colleague saved meanwhile, beside what the user sent, and the versions
    of all answers now."""
    rows = {a.question_key: a for a in case.answers.select_related("answered_by")}
    labels = {q["key"]: q.get("text_display") or q["key"] for q in questions}

    def shown(answer: str, note: str) -> str:
        label = str(Answer(answer).label) if answer else str(_("niet beantwoord"))
        return f"{label}: {note}" if note else label

    items = []
    for key in keys:
        row = rows.get(key)
        theirs = shown(row.answer, row.note) if row else shown("", "")
        items.append(
            ConflictItem(label=str(labels.get(key, key)), theirs=theirs, mine=shown(*sent[key]))
        )
    newest = max(
        (rows[key] for key in keys if key in rows), key=lambda a: a.answered_at, default=None
    )
    return Conflict(
        items=items,
        by=newest.answered_by if newest else None,
        at=newest.answered_at if newest else None,
        versions={key: row.version for key, row in rows.items()},
    )


# --- Text history ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TextHistory:
    """The saved states of one free text of a case, newest first."""

    kind: str
    part: str
    title: dict | str
    versions: list[CaseTextVersion]


def case_text_history(*, case: Case) -> list[TextHistory]:
    """Every kept state of the case's free texts, grouped per text: the case's own texts
    first, then the screening notes and the step notes in the guide version's order. Two
    queries however long the history."""
    rows = list(case.text_history.select_related("saved_by").order_by("-pk"))
    snapshot = case.guide_version.snapshot
    steps = {step["key"]: (index, step["title"]) for index, step in enumerate(snapshot["steps"])}
    questions = {
        question["key"]: (index, question["text"])
        for index, question in enumerate(snapshot["questions"])
    }
    kinds = list(CaseText.values)
    groups: dict[tuple[str, str], list[CaseTextVersion]] = {}
    for row in rows:
        groups.setdefault((row.text_kind, row.part), []).append(row)

    def title(kind: str, part: str):
        if kind == CaseText.STEP_NOTES:
            return steps.get(part, (0, part))[1]
        if kind == CaseText.ANSWER_NOTE:
            return questions.get(part, (0, part))[1]
        return CaseText(kind).label

    def order(key: tuple[str, str]):
        kind, part = key
        lookup = steps if kind == CaseText.STEP_NOTES else questions
        return (kinds.index(kind), lookup.get(part, (len(lookup), part))[0] if part else 0)

    return [
        TextHistory(kind=kind, part=part, title=title(kind, part), versions=groups[(kind, part)])
        for kind, part in sorted(groups, key=order)
    ]


# The pages of a case, as the access log names them (cases/views.py).
_LOG_PAGES = {
    "screening": _("screening"),
    "consult": _("consultatie vastleggen"),
    "go_ahead": _("reden om toch door te gaan"),
    "details": _("gegevens van de casus"),
    "sharing": _("delen"),
    "history": _("geschiedenis van de teksten"),
}
_SHARE_DETAIL = re.compile(r"user:(\d+)(?::(\w+))?")


@dataclass(frozen=True)
class LogRow:
    """One line of a case's log as its owner reads it. `part` is text, or a snapshot text
    ({"nl": …, "en": …}, shown with the `tr` filter)."""

    at: dt.datetime
    user: object
    action: str
    part: object
    ip_address: str | None


def case_log_rows(*, case: Case, limit: int = 500) -> list[LogRow]:
    """The case's log with readable parts: the colleague a share names, the step or question
    by its title, the page by its name, instead of the keys the log stores."""
    entries = list(case_log(case=case)[:limit])
    shared_ids = {
        int(match.group(1)) for entry in entries if (match := _SHARE_DETAIL.fullmatch(entry.detail))
    }
    colleagues = get_user_model().objects.in_bulk(shared_ids)
    snapshot = case.guide_version.snapshot
    titles = {step["key"]: step["title"] for step in snapshot["steps"]}
    titles.update({question["key"]: question["text"] for question in snapshot["questions"]})
    rows = []
    for entry in entries:
        rows.append(
            LogRow(
                at=entry.at,
                user=entry.user,
                action=entry.get_action_display(),
                part=_log_part(entry, colleagues, titles),
                ip_address=entry.ip_address,
            )
        )
    return rows


def _log_part(entry: AccessLog, colleagues: dict, titles: dict) -> object:
    detail = entry.detail
    share = _SHARE_DETAIL.fullmatch(detail)
    if share and entry.action in (AccessAction.SHARE, AccessAction.UNSHARE):
        colleague = colleagues.get(int(share.group(1)))
        name = colleague.get_full_name() if colleague else _("een oud-collega")
        level = share.group(2)
        if level in ShareLevel.values:
            return _("met %(name)s (%(level)s)") % {
                "name": name, "level": str(ShareLevel(level).label).lower(),
            }  # fmt: skip
        if level == "automatisch":
            return _("met %(name)s (vanzelf: geen toegang meer)") % {"name": name}
        return _("met %(name)s") % {"name": name}
    if detail in titles:
        return titles[detail]
    if detail in _LOG_PAGES:
        return _LOG_PAGES[detail]
    return detail


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
