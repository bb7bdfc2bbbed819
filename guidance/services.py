"""Writes for the guides: the snapshot of a draft, publishing it, ordering its steps.

The shape of a snapshot is in guidance.snapshot, the branching rules that read it in
guidance.branching, and what a new version changes in guidance.diff."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from guidance.constants import Branch, GuideKind
from guidance.diff import review_token
from guidance.models import NOTE_MAX_LENGTH, Guide, GuideVersion, Step
from guidance.snapshot import (
    GUIDE_SOURCE,
    HONOUR_SOURCE,
    SNAPSHOT_SCHEMA,
    GuideSnapshot,
    QuestionSpec,
    StepSpec,
)


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def _texts(obj, field: str) -> dict[str, str]:
    return {
        lang: getattr(obj, build_localized_fieldname(field, lang)) or "" for lang in _languages()
    }


def _lines(obj, field: str) -> dict[str, list[str]]:
    return {
        lang: [line.strip() for line in text.splitlines() if line.strip()]
        for lang, text in _texts(obj, field).items()
    }


def step_spec(step: Step, *, source: str = GUIDE_SOURCE, links: bool = True) -> StepSpec:
    """A step of the draft as a published snapshot holds it. `links=False` leaves out its
    terms, routes and resources (a step being previewed before it is saved has none yet)."""
    return {
        "key": step.key,
        "source": source,
        "title": _texts(step, "title"),
        "body": _texts(step, "body"),
        "kind": step.kind,
        "involves_parent_contact": step.involves_parent_contact,
        "branch": Branch.HONOUR.value if source == HONOUR_SOURCE else step.branch,
        "may_be_not_applicable": step.may_be_not_applicable,
        "checklist": _lines(step, "checklist"),
        "dos": _lines(step, "dos"),
        "donts": _lines(step, "donts"),
        "terms": sorted(term.slug for term in step.terms.all()) if links else [],
        "routes": [route.slug for route in step.routes.all()] if links else [],
        "resources": [resource.slug for resource in step.resources.all()] if links else [],
    }


def _steps(guide: Guide):
    return guide.steps.order_by("order", "pk").prefetch_related("terms", "routes", "resources")


def guide_snapshot(*, guide: Guide) -> GuideSnapshot:
    """Everything a reader or a case needs of the guide's current draft, in all languages:
    its steps, then its honour branch's steps, and the screening questions."""
    branch = guide.honour_branch
    steps = [step_spec(step, source=GUIDE_SOURCE) for step in _steps(guide)]
    questions: list[QuestionSpec] = []
    if branch is not None:
        steps += [step_spec(step, source=HONOUR_SOURCE) for step in _steps(branch)]
        questions = [
            {
                "key": question.key,
                "text": _texts(question, "text"),
                "help_text": _texts(question, "help_text"),
                "is_honour_signal": question.is_honour_signal,
            }
            for question in branch.questions.order_by("order", "pk")
        ]
    keys = [step["key"] for step in steps]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise ValidationError(
            _("Stapsleutels moeten uniek zijn in een leidraad met zijn route: %(keys)s.")
            % {"keys": ", ".join(duplicates)}
        )
    return {
        "schema": SNAPSHOT_SCHEMA,
        "guide": {
            "slug": guide.slug,
            "title": _texts(guide, "title"),
            "situation": _texts(guide, "situation"),
            "introduction": _texts(guide, "introduction"),
        },
        "honour_branch": (
            {"slug": branch.slug, "title": _texts(branch, "title")} if branch is not None else None
        ),
        "questions": questions,
        "steps": steps,
    }


def _note(note: str) -> str:
    note = (note or "").strip()
    if not note:
        raise ValidationError(
            _("Schrijf kort op wat er verandert: zonder notitie wordt niets gepubliceerd.")
        )
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(
            _("De notitie is te lang: ten hoogste %(max)s tekens.") % {"max": NOTE_MAX_LENGTH}
        )
    return note


@transaction.atomic
def guide_publish(
    *, guide: Guide, note: str, actor=None, reviewed: str | None = None
) -> GuideVersion:
    """Freeze the guide's draft into a new numbered version, with a short note on what
    changed (required). Published versions are never changed; a case started on version n
    keeps version n. A draft equal to the latest version publishes nothing new (the latest
    version is returned).

    `reviewed` is the token of the comparison the Beheerder saw (guidance.diff.review_token):
    when the draft or the latest version changed since, nothing is published, so what is
    published is what was reviewed."""
    note = _note(note)
    if guide.kind != GuideKind.GUIDE:
        raise ValidationError(_("Alleen een leidraad wordt gepubliceerd, niet een route."))
    snapshot = guide_snapshot(guide=guide)
    if not snapshot["steps"]:
        raise ValidationError(_("Een leidraad zonder stappen kan niet worden gepubliceerd."))
    latest = guide.versions.select_for_update().order_by("-number").first()
    if reviewed is not None and reviewed != review_token(
        base=latest.number if latest else None, snapshot=snapshot
    ):
        raise ValidationError(
            _(
                "De leidraad is gewijzigd of gepubliceerd sinds u de wijzigingen bekeek. "
                "Bekijk ze opnieuw voordat u publiceert."
            )
        )
    if latest is not None and latest.snapshot == snapshot:
        return latest
    version = GuideVersion(
        guide=guide,
        number=(latest.number + 1) if latest else 1,
        snapshot=snapshot,
        note=note,
        published_by=actor,
    )
    version.full_clean()
    version.save()
    return version


@transaction.atomic
def guide_move_step(*, step: Step, up: bool) -> bool:
    """Move a step one place up or down among its guide's steps (the order readers and cases
    meet them in after the next publication). Only the steps whose place changes are saved,
    so a move is one edit of two steps in their history (and in load_content's view), each
    at its next version.
    Returns False when the step is already first (up) or last (down)."""
    steps = list(
        Step.objects.select_for_update().filter(guide_id=step.guide_id).order_by("order", "pk")
    )
    index = next(i for i, other in enumerate(steps) if other.pk == step.pk)
    target = index - 1 if up else index + 1
    if not 0 <= target < len(steps):
        return False
    orders = [other.order for other in steps]
    steps[index], steps[target] = steps[target], steps[index]
    if len(set(orders)) != len(orders):
        orders = list(range(1, len(steps) + 1))  # ties: number them afresh
    for other, order in zip(steps, orders, strict=True):
        if other.order != order:
            # A new version too: a step page opened before the move is then stale, and its
            # save is refused instead of putting the old order back.
            other.order = order
            other.version += 1
            other.save(update_fields=["order", "version"])
    return True
