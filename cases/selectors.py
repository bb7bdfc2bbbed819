"""Reads for cases. Every read of a case goes through `case_for_user`: the owner and the
team members it is shared with see it; for everybody else it does not exist (404)."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.constants import Role
from cases.constants import CLOSED_STATUSES, ShareLevel, StepStatus
from cases.models import AccessLog, Case, CaseShare, Consultation
from cases.services import Gate, case_gate, case_outcome, case_steps
from guidance.constants import CONSULT_STEP_KEY, ScreeningOutcome


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


def share_holder(*, case: Case, user_id: str):
    """The user holding a share of `case` with this id (posted, so any text), or None. Any
    share, also one with a colleague who has left the team: the owner can always end it."""
    if not str(user_id).isdigit():
        return None
    return get_user_model().objects.filter(pk=user_id, case_shares__case=case).first()


def user_can_edit(case: Case, user) -> bool:
    return case.owner_id == user.pk or bool(getattr(case, "can_edit_flag", False))


def my_cases(*, user) -> list[Case]:
    """The user's own and shared cases for the list page, newest activity first; the guide
    snapshot (large) is left out."""
    return list(
        cases_visible_to(user)
        .select_related("guide_version__guide", "owner")
        .defer("guide_version__snapshot", "notes")
        .order_by("-last_activity_at")
    )


@dataclass
class StepView:
    spec: dict
    status: str = StepStatus.OPEN
    notes: str = ""
    locked: bool = False

    @property
    def key(self) -> str:
        return self.spec["key"]


@dataclass
class Workspace:
    """Everything the case pages show, computed once per request."""

    case: Case
    gate: Gate
    outcome: str
    answers: dict[str, str]
    steps: list[StepView]
    consultations: list[Consultation]
    questions: list[dict] = field(default_factory=list)

    @property
    def current(self) -> StepView | None:
        """The first open, unlocked step: where the worker left off."""
        for step in self.steps:
            if step.status == StepStatus.OPEN and not step.locked:
                return step
        return next((s for s in self.steps if s.status == StepStatus.OPEN), None)

    @property
    def newest_consultation(self) -> Consultation | None:
        return self.consultations[-1] if self.consultations else None

    @property
    def screening_complete(self) -> bool:
        return self.outcome != ScreeningOutcome.INCOMPLETE

    @property
    def consult_step_key(self) -> str:
        return CONSULT_STEP_KEY

    @property
    def done_count(self) -> int:
        return sum(1 for s in self.steps if s.status != StepStatus.OPEN)

    @property
    def is_closed(self) -> bool:
        return self.case.status in CLOSED_STATUSES


def case_workspace(case: Case) -> Workspace:
    answers = dict(case.answers.values_list("question_key", "answer"))
    consultations = list(case.consultations.order_by("seq"))
    newest = consultations[-1] if consultations else None
    gate = case_gate(case, answers=answers, newest=newest)
    progress = {p.step_key: p for p in case.progress.all()}
    steps = []
    for spec in case_steps(case, answers):
        row = progress.get(spec["key"])
        steps.append(
            StepView(
                spec=spec,
                status=row.status if row else StepStatus.OPEN,
                notes=row.notes if row else "",
                locked=spec["involves_parent_contact"] and not gate.open,
            )
        )
    return Workspace(
        case=case,
        gate=gate,
        outcome=case_outcome(case, answers),
        answers=answers,
        steps=steps,
        consultations=consultations,
        questions=case.guide_version.snapshot["questions"],
    )


def case_log(*, case: Case) -> QuerySet[AccessLog]:
    return case.access_log.select_related("user").order_by("-at", "-pk")
