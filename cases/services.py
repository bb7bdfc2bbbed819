"""Writes for cases, and the one rule that must never break: the Veilig Thuis gate.

While a case has signals of honour-related violence (any signal question answered ja or
twijfel, ever) and no consultation allows parent contact, every parent-contact step is locked:
these functions refuse to change it, whatever the request. The rule itself is stated once, as
pure functions, in `cases.gate`; these functions load the facts and enforce it. HTTP views,
forms and commands all go through here; nothing else writes case data.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.constants import Role, SecurityEventKind
from accounts.services import security_event_record
from cases.constants import (
    CLOSED_STATUSES,
    AccessAction,
    CaseStatus,
    CaseText,
    ShareLevel,
    StepStatus,
)
from cases.models import (
    AccessLog,
    Case,
    CaseFigure,
    CaseShare,
    CaseTextVersion,
    Consultation,
    ReferenceCounter,
    ScreeningAnswer,
    ScreeningAnswerChange,
    StepProgress,
)
from cases.selectors import case_gate, case_steps, case_workspace
from cases.statistics import case_facts, tally
from config.concurrency import VersionConflict, version_bump, version_claim
from guidance.constants import CONSULT_STEP_KEY, SIGNAL_ANSWERS, Answer
from guidance.models import GuideVersion


class GateClosed(PermissionDenied):
    """A parent-contact step was to be changed while the gate is closed."""


# --- Access --------------------------------------------------------------------------


def may_hold_share(case: Case, user) -> bool:
    """Only an active Medewerker of the case's team may hold a share of it. Checked when
    sharing and again at every access, so a share counts for nothing once the colleague
    left the team, lost the Medewerker role or was deactivated (even before the share row
    is removed by case_shares_end_invalid)."""
    return (
        user.is_active
        and user.pk != case.owner_id
        and user.team_id == case.team_id
        and user.role == Role.MEDEWERKER
    )


def can_edit(case: Case, user) -> bool:
    if case.owner_id == user.pk:
        return True
    if not may_hold_share(case, user):
        return False
    return CaseShare.objects.filter(case=case, user=user, level=ShareLevel.EDIT).exists()


def _require_edit(case: Case, user) -> None:
    if not can_edit(case, user):
        raise PermissionDenied(_("U mag deze casus niet wijzigen."))
    if case.status in CLOSED_STATUSES:
        raise ValidationError(_("Deze casus is afgerond. Heropen hem om verder te werken."))


def _lock(case: Case) -> Case:
    """Reload the case row under a lock: rules that count signals and consultations must
    not interleave."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    for field in Case._meta.concrete_fields:
        setattr(case, field.attname, getattr(locked, field.attname))
    return case


def access_log_record(
    *, case: Case, user, action: str, detail: str = "", ip_address: str | None = None
) -> AccessLog:
    """Log who did what with a case, when and from where. `detail` names a part of the case
    (a step key, a question key), never its content."""
    return AccessLog.objects.create(
        case=case,
        case_reference=case.reference,
        user=user,
        action=action,
        detail=detail[:120],
        ip_address=ip_address,
    )


# --- Text history ----------------------------------------------------------------------


def _text_history_record(
    *, case: Case, actor, kind: str, old: str, new: str, part: str = ""
) -> None:
    """Keep every saved state of a free text of the case (who, when, what). A text that was
    there before its history was kept is recorded first, without who and when, so the
    history shows what the change replaced."""
    if old == new:
        return
    rows = CaseTextVersion.objects.filter(case=case, text_kind=kind, part=part)
    if old and not rows.exists():
        CaseTextVersion.objects.create(case=case, text_kind=kind, part=part, text=old)
    CaseTextVersion.objects.create(
        case=case, text_kind=kind, part=part, text=new, saved_by=actor, saved_at=timezone.now()
    )


# --- Status ----------------------------------------------------------------------------


def _refresh_status(case: Case) -> None:
    """Keep the status and where the worker left off in step with the gate and the young
    person's agreement (cases.gate decides; the list shows both without loading steps)."""
    if case.status in CLOSED_STATUSES:
        return
    workspace = case_workspace(case)
    current = workspace.current
    case.status = workspace.status
    case.next_step_key = current.key if current else ""
    Case.objects.filter(pk=case.pk).update(
        status=case.status, next_step_key=case.next_step_key, last_activity_at=timezone.now()
    )


# --- Writes ------------------------------------------------------------------------------


def _next_reference(year: int) -> str:
    counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(year=year)
    ReferenceCounter.objects.filter(pk=year).update(last=F("last") + 1)
    counter.refresh_from_db()
    return f"GW-{year}-{counter.last:04d}"


@transaction.atomic
def case_create(
    *,
    owner,
    guide_version: GuideVersion,
    age_range: str,
    situation: str,
    gender: str = "",
    cultural_context: str = "",
    parent_languages: list[str] | None = None,
    notes: str = "",
    ip_address: str | None = None,
) -> Case:
    """Start a case on the newest published version of a guide. Only a Medewerker in a team
    prepares cases; the case belongs to them and their team and gets a generated reference."""
    if owner.role != Role.MEDEWERKER or owner.team_id is None:
        raise PermissionDenied(_("Alleen een medewerker in een team bereidt casussen voor."))
    case = Case(
        reference=_next_reference(timezone.localdate().year),
        owner=owner,
        team_id=owner.team_id,
        guide_version=guide_version,
        age_range=age_range,
        situation=situation,
        gender=gender,
        cultural_context=cultural_context,
        parent_languages=list(parent_languages or []),
        notes=notes,
    )
    case.full_clean()
    case.save()
    for kind, text in ((CaseText.NOTES, notes), (CaseText.CULTURAL_CONTEXT, cultural_context)):
        _text_history_record(case=case, actor=owner, kind=kind, old="", new=text)
    _refresh_status(case)
    access_log_record(case=case, user=owner, action=AccessAction.CREATE, ip_address=ip_address)
    return case


def _claim_case(case: Case, seen: int | None) -> None:
    """Optimistic concurrency on the case's own texts: `seen` is the version the editor's
    form was built from (None: a caller without a form, e.g. a command, writes on the
    current version). Every write moves the version on, so older forms become stale."""
    version_claim(case, seen=seen)


@transaction.atomic
def case_update_details(
    *,
    case: Case,
    actor,
    version: int | None = None,
    ip_address: str | None = None,
    **fields,
) -> Case:
    """Change the pseudonymous details (age range, situation, context, languages, notes).
    A change based on a stale `version` is refused (VersionConflict): a colleague saved
    in between. Every change of a free text is kept in the case's text history."""
    allowed = {"age_range", "situation", "gender", "cultural_context", "parent_languages", "notes"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(_("Onbekende velden: %(names)s.") % {"names": ", ".join(unknown)})
    _lock(case)
    _require_edit(case, actor)
    _claim_case(case, version)
    old = {name: getattr(case, name) for name in ("notes", "cultural_context")}
    for name, value in fields.items():
        setattr(case, name, value)
    case.full_clean()
    case.save(update_fields=[*fields, "version", "last_activity_at"])
    for kind in (CaseText.NOTES, CaseText.CULTURAL_CONTEXT):
        if kind in fields:
            _text_history_record(case=case, actor=actor, kind=kind, old=old[kind], new=fields[kind])
    access_log_record(case=case, user=actor, action=AccessAction.UPDATE, ip_address=ip_address)
    return case


def _question(case: Case, key: str) -> dict:
    for question in case.guide_version.snapshot["questions"]:
        if question["key"] == key:
            return question
    raise ValidationError(_("Deze vraag hoort niet bij de leidraad van deze casus."))


def _close_parent_steps_if_gate_closed(case: Case, actor) -> None:
    """When the gate is (or becomes) closed — a new signal, or an advice of no contact —
    parent-contact steps marked done go back to open (their notes stay), so nothing stands
    as done with the parents until an advice allows contact again."""
    if case_gate(case).open:
        return
    parent_keys = [
        step["key"]
        for step in case.guide_version.snapshot["steps"]
        if step["involves_parent_contact"]
    ]
    version_bump(
        StepProgress.objects.filter(case=case, step_key__in=parent_keys, status=StepStatus.DONE),
        status=StepStatus.OPEN,
        updated_by=actor,
    )


@transaction.atomic
def case_answer_question(
    *,
    case: Case,
    actor,
    question_key: str,
    answer: str,
    note: str = "",
    reason: str = "",
    ip_address: str | None = None,
) -> ScreeningAnswer | None:
    """Answer (or change, or with answer="" withdraw) a screening question.

    Any ja or twijfel on a signal question flags the case, for good: a later nee or a withdrawn
    answer does not clear the flag, and such a change needs a reason, which is kept. A signal
    answered after the newest consultation closes the gate again.
    """
    _lock(case)
    _require_edit(case, actor)
    question = _question(case, question_key)
    if answer and answer not in Answer.values:
        raise ValidationError(_("Kies ja, nee of twijfel."))
    current = ScreeningAnswer.objects.filter(case=case, question_key=question_key).first()
    old = current.answer if current else ""
    softening = old in SIGNAL_ANSWERS and answer not in SIGNAL_ANSWERS
    if question["is_honour_signal"] and softening and not reason.strip():
        raise ValidationError(
            _(
                "U verandert een signaal in ‘nee’ of trekt het in. Geef de reden; het signaal "
                "blijft meetellen tot een consultatie."
            )
        )
    if current and old != answer:
        ScreeningAnswerChange.objects.create(
            case=case,
            question_key=question_key,
            old_answer=old,
            new_answer=answer,
            reason=reason.strip(),
            changed_by=actor,
        )
    if not answer:
        if current:
            current.delete()
        result = None
    else:
        result = current or ScreeningAnswer(case=case, question_key=question_key)
        result.answer = answer
        result.note = note
        result.answered_by = actor
        result.full_clean()
        version_claim(result)  # older pages with this answer become stale
        result.save()
    _text_history_record(
        case=case, actor=actor, kind=CaseText.ANSWER_NOTE, part=question_key,
        old=current.note if current else "", new=result.note if result else "",
    )  # fmt: skip
    if question["is_honour_signal"] and answer in SIGNAL_ANSWERS and answer != old:
        case.event_seq += 1
        case.last_signal_seq = case.event_seq
        case.honour_flagged = True
        Case.objects.filter(pk=case.pk).update(
            event_seq=case.event_seq, last_signal_seq=case.last_signal_seq, honour_flagged=True
        )
    _close_parent_steps_if_gate_closed(case, actor)
    _refresh_status(case)
    access_log_record(
        case=case, user=actor, action=AccessAction.SCREENING, detail=question_key,
        ip_address=ip_address,
    )  # fmt: skip
    return result


@transaction.atomic
def case_save_screening(
    *,
    case: Case,
    actor,
    answers: dict[str, tuple[str, str]],
    reason: str = "",
    versions: dict[str, int] | None = None,
    ip_address: str | None = None,
) -> list[str]:
    """Save the screening page at once: (answer, note) per question key. All or nothing: a
    refused change (a softened signal without a reason) leaves every answer as it was.
    Only changed questions are written, each through `case_answer_question` and its rules.
    `versions` are the answers' versions the page showed (0: unanswered); when any changed
    answer was saved by someone else since, nothing is saved (VersionConflict, with the
    keys in `.keys`). Returns the keys that changed."""
    _lock(case)
    rows = {a.question_key: a for a in ScreeningAnswer.objects.filter(case=case)}
    current = {key: (a.answer, a.note) for key, a in rows.items()}
    changed = [key for key, value in answers.items() if tuple(value) != current.get(key, ("", ""))]
    if versions is not None:
        stale = [
            key
            for key in changed
            if versions.get(key, 0) != (rows[key].version if key in rows else 0)
        ]
        if stale:
            conflict = VersionConflict()
            conflict.keys = stale
            raise conflict
    for key in changed:
        answer, note = answers[key]
        case_answer_question(
            case=case, actor=actor, question_key=key, answer=answer, note=note,
            reason=reason, ip_address=ip_address,
        )  # fmt: skip
    return changed


def _step(case: Case, step_key: str) -> dict:
    for step in case_steps(case):
        if step["key"] == step_key:
            return step
    raise ValidationError(_("Deze stap hoort (nu) niet bij deze casus."))


@transaction.atomic
def case_update_step(
    *,
    case: Case,
    actor,
    step_key: str,
    status: str | None = None,
    notes: str | None = None,
    version: int | None = None,
    ip_address: str | None = None,
) -> StepProgress:
    """Write notes on a step or mark it open, done or not applicable.

    A parent-contact step is locked while the gate is closed: refused (GateClosed), whatever
    the change. Only steps that may be skipped can be marked not applicable. A change based
    on a stale `version` of the step (0: none saved yet) is refused (VersionConflict), so a
    stale "Opslaan en klaar" never wipes a colleague's notes. Every change of the notes is
    kept in the case's text history.
    """
    _lock(case)
    _require_edit(case, actor)
    step = _step(case, step_key)
    if step["involves_parent_contact"]:
        gate = case_gate(case)
        if not gate.open:
            # The caller logs the refusal: this transaction is rolled back.
            raise GateClosed(gate.message)
    if status is not None and status not in StepStatus.values:
        raise ValidationError(_("Onbekende status."))
    if status == StepStatus.NOT_APPLICABLE and not step["may_be_not_applicable"]:
        raise ValidationError(_("Deze stap kan niet als ‘niet van toepassing’ worden gemarkeerd."))
    progress = StepProgress.objects.filter(case=case, step_key=step_key).first() or StepProgress(
        case=case, step_key=step_key, version=0
    )
    if progress.pk is None:
        # A first save claims nothing: the case row is locked and the (case, step)
        # constraint refuses a second row.
        if version not in (None, 0):
            raise VersionConflict(seen=version, current=0)
        progress.version = 1
    else:
        version_claim(progress, seen=version)
    old_notes = progress.notes
    if status is not None:
        progress.status = status
    if notes is not None:
        progress.notes = notes
    progress.updated_by = actor
    progress.full_clean()
    progress.save()
    _text_history_record(
        case=case, actor=actor, kind=CaseText.STEP_NOTES, part=step_key, old=old_notes,
        new=progress.notes,
    )  # fmt: skip
    _refresh_status(case)
    access_log_record(
        case=case, user=actor, action=AccessAction.STEP, detail=step_key, ip_address=ip_address
    )
    return progress


@transaction.atomic
def case_record_consultation(
    *,
    case: Case,
    actor,
    consulted_on: dt.date,
    organisation: str,
    advisor: str,
    advice_summary: str,
    outcome: str,
    young_person_informed: bool,
    ip_address: str | None = None,
) -> Consultation:
    """Record the advice of Veilig Thuis, the police or LEC EGG. Append-only: there is no
    edit and no delete; a correction is a new consultation and the newest governs. Requires
    the confirmation that the young person knows what the worker is going to do."""
    _lock(case)
    _require_edit(case, actor)
    if not young_person_informed:
        raise ValidationError(
            {
                "young_person_informed": _(
                    "Bevestig dat de jongere weet wat u gaat doen. Zet nooit stappen buiten "
                    "de jongere om."
                )
            }
        )
    if consulted_on > timezone.localdate():
        raise ValidationError({"consulted_on": _("De datum van het advies ligt in de toekomst.")})
    case.event_seq += 1
    consultation = Consultation(
        case=case,
        consulted_on=consulted_on,
        organisation=organisation,
        advisor=advisor,
        advice_summary=advice_summary,
        outcome=outcome,
        young_person_informed=True,
        seq=case.event_seq,
        recorded_by=actor,
    )
    consultation.full_clean()
    consultation.save()
    Case.objects.filter(pk=case.pk).update(event_seq=case.event_seq)
    if any(step["key"] == CONSULT_STEP_KEY for step in case_steps(case)):
        # Asking the advice was the step; recording it completes the step.
        progress = StepProgress.objects.filter(case=case, step_key=CONSULT_STEP_KEY)
        if not version_bump(progress, status=StepStatus.DONE, updated_by=actor):
            StepProgress.objects.create(
                case=case, step_key=CONSULT_STEP_KEY, status=StepStatus.DONE, updated_by=actor
            )
    _close_parent_steps_if_gate_closed(case, actor)
    _refresh_status(case)
    access_log_record(case=case, user=actor, action=AccessAction.CONSULT, ip_address=ip_address)
    return consultation


@transaction.atomic
def case_record_go_ahead(
    *, case: Case, actor, reason: str, version: int | None = None, ip_address: str | None = None
) -> Case:
    """Record why the conversation with the parents goes ahead although the young person does
    not know about it or does not agree. Without ja on that screening question or this
    reason, a case is never "klaar voor gesprek". An empty reason withdraws it. Refused
    when based on a stale `version` of the case; every change is kept in its history."""
    _lock(case)
    _require_edit(case, actor)
    _claim_case(case, version)
    old = case.go_ahead_reason
    case.go_ahead_reason = reason.strip()
    case.go_ahead_recorded_at = timezone.now() if case.go_ahead_reason else None
    case.full_clean()
    case.save(
        update_fields=["go_ahead_reason", "go_ahead_recorded_at", "version", "last_activity_at"]
    )
    _text_history_record(
        case=case, actor=actor, kind=CaseText.GO_AHEAD_REASON, old=old, new=case.go_ahead_reason
    )
    _refresh_status(case)
    access_log_record(
        case=case, user=actor, action=AccessAction.UPDATE, detail="go_ahead", ip_address=ip_address
    )
    return case


@transaction.atomic
def case_share(
    *,
    case: Case,
    actor,
    user,
    level: str,
    version: int | None = None,
    ip_address: str | None = None,
) -> CaseShare:
    """The owner shares a case with an active Medewerker of the case's team, to read or to
    edit: never with a Coördinator or a Beheerder, never outside the team. `version` is the
    version of this colleague's share the owner saw (0: none); a change based on a stale
    one (another tab changed or ended the share meanwhile) is refused (VersionConflict)."""
    if case.owner_id != actor.pk:
        raise PermissionDenied(_("Alleen de eigenaar deelt een casus."))
    if not may_hold_share(case, user):
        raise ValidationError(
            _("U kunt alleen delen met een actieve medewerker uit het team van deze casus.")
        )
    if level not in ShareLevel.values:
        raise ValidationError(_("Kies lezen of lezen en bewerken."))
    _lock(case)
    share = CaseShare.objects.filter(case=case, user=user).first()
    if share is None:
        if version not in (None, 0):
            raise VersionConflict(seen=version, current=0)
        share = CaseShare.objects.create(case=case, user=user, level=level)
    else:
        if version == 0:
            raise VersionConflict(seen=version, current=share.version)
        version_claim(share, seen=version)
        share.level = level
        share.save(update_fields=["level", "version"])
    access_log_record(
        case=case, user=actor, action=AccessAction.SHARE, detail=f"user:{user.pk}:{level}",
        ip_address=ip_address,
    )  # fmt: skip
    return share


@transaction.atomic
def case_unshare(*, case: Case, actor, user, ip_address: str | None = None) -> None:
    """The owner ends a share, with anyone: also a colleague who has left the team."""
    if case.owner_id != actor.pk:
        raise PermissionDenied(_("Alleen de eigenaar deelt een casus."))
    CaseShare.objects.filter(case=case, user=user).delete()
    access_log_record(
        case=case, user=actor, action=AccessAction.UNSHARE, detail=f"user:{user.pk}",
        ip_address=ip_address,
    )  # fmt: skip


@transaction.atomic
def case_shares_end_invalid(*, user, actor=None) -> int:
    """End every share `user` may no longer hold (they left the team, lost the Medewerker
    role or were deactivated). Each case's log says so. Called when accounts reports a
    changed user (accounts.signals.user_access_changed)."""
    ended = 0
    shares = CaseShare.objects.filter(user=user).select_related("case")
    for share in shares:
        if may_hold_share(share.case, user):
            continue
        share.delete()
        access_log_record(
            case=share.case, user=actor, action=AccessAction.UNSHARE,
            detail=f"user:{user.pk}:automatisch",
        )  # fmt: skip
        ended += 1
    return ended


def case_access_refused_record(*, user, reference: str, ip_address: str | None) -> None:
    """A refused attempt to open a case (the 404 that hides it) leaves a trace: the security
    log gets who, when and from where; the case's own log, if the case exists, tells its
    owner that somebody without access tried, without a name."""
    security_event_record(
        kind=SecurityEventKind.CASE_ACCESS_REFUSED, actor=user, ip_address=ip_address,
        detail=reference[:30],
    )  # fmt: skip
    case = Case.objects.filter(reference=reference).only("pk").first()
    if case is not None:
        AccessLog.objects.create(case=case, user=None, action=AccessAction.OPEN_REFUSED)


@transaction.atomic
def case_close(*, case: Case, actor, archive: bool = False, ip_address: str | None = None) -> Case:
    """The owner closes a case (afgerond) or archives it; the retention period starts."""
    if case.owner_id != actor.pk:
        raise PermissionDenied(_("Alleen de eigenaar rondt een casus af."))
    case.status = CaseStatus.GEARCHIVEERD if archive else CaseStatus.AFGEROND
    case.closed_at = case.closed_at or timezone.now()
    case.save(update_fields=["status", "closed_at", "last_activity_at"])
    access_log_record(case=case, user=actor, action=AccessAction.CLOSE, ip_address=ip_address)
    return case


@transaction.atomic
def case_reopen(*, case: Case, actor, ip_address: str | None = None) -> Case:
    if case.owner_id != actor.pk:
        raise PermissionDenied(_("Alleen de eigenaar heropent een casus."))
    case.status = CaseStatus.VOORBEREIDING
    case.closed_at = None
    case.save(update_fields=["status", "closed_at", "last_activity_at"])
    _refresh_status(case)
    access_log_record(case=case, user=actor, action=AccessAction.REOPEN, ip_address=ip_address)
    return case


# --- Policy figures ---------------------------------------------------------------------------


@transaction.atomic
def case_figures_record(*, cases) -> int:
    """Add these cases to the policy figures that outlive them (CaseFigure): counts per month,
    region, guide, dimension and value, nothing that leads back to a case. Only the retention
    purge calls this, in the transaction that deletes the same cases, so a case counts once:
    live (cases.statistics counts the cases held) or here. Returns the keys touched."""
    counts = tally(case_facts(cases))
    if not counts:
        return 0
    existing = {
        (f.month, f.region_id, f.guide_id, f.dimension, f.value): f
        for f in CaseFigure.objects.select_for_update().filter(
            month__in={key[0] for key in counts},
            region_id__in={key[1] for key in counts},
            guide_id__in={key[2] for key in counts},
        )
    }
    changed, new = [], []
    for key, n in sorted(counts.items()):
        if key in existing:
            existing[key].count += n
            changed.append(existing[key])
        else:
            month, region_id, guide_id, dimension, value = key
            new.append(
                CaseFigure(
                    month=month,
                    region_id=region_id,
                    guide_id=guide_id,
                    dimension=dimension,
                    value=value,
                    count=n,
                )
            )
    # Fixed number of queries however many cases (the purge runs in one transaction).
    CaseFigure.objects.bulk_update(changed, ["count"], batch_size=500)
    CaseFigure.objects.bulk_create(new, batch_size=500)
    return len(counts)


def statistics_viewed_record(*, user, region_id: int | None, year: int, export: bool, ip_address):
    """The security log notes who looked at (or exported) which figures: region and year only."""
    security_event_record(
        kind=SecurityEventKind.STATISTICS_VIEWED,
        actor=user,
        ip_address=ip_address,
        detail=f"{'csv' if export else 'pagina'} {year} regio={region_id or 'alle'}",
    )
