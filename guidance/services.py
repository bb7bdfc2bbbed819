"""Rules and writes for the guides: snapshots, publishing, and the branching rules that
decide which steps apply. The branching functions are pure (they work on a published
snapshot), so `cases` calls them with its own answers and flag."""

from collections.abc import Mapping

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from guidance.constants import (
    SIGNAL_ANSWERS,
    Answer,
    Branch,
    GuideKind,
    ScreeningOutcome,
)
from guidance.models import Guide, GuideVersion, Step

SNAPSHOT_SCHEMA = 1
HONOUR_SOURCE = "honour_branch"


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


def _step_data(step: Step, *, source: str) -> dict:
    return {
        "key": step.key,
        "source": source,
        "title": _texts(step, "title"),
        "body": _texts(step, "body"),
        "kind": step.kind,
        "involves_parent_contact": step.involves_parent_contact,
        "branch": Branch.HONOUR if source == HONOUR_SOURCE else step.branch,
        "may_be_not_applicable": step.may_be_not_applicable,
        "checklist": _lines(step, "checklist"),
        "dos": _lines(step, "dos"),
        "donts": _lines(step, "donts"),
        "terms": sorted(term.slug for term in step.terms.all()),
        "routes": [route.slug for route in step.routes.all()],
        "resources": [resource.slug for resource in step.resources.all()],
    }


def _steps(guide: Guide):
    return guide.steps.order_by("order", "pk").prefetch_related("terms", "routes", "resources")


def guide_snapshot(*, guide: Guide) -> dict:
    """Everything a reader or a case needs of the guide's current draft, in all languages:
    its steps, then its honour branch's steps, and the screening questions."""
    branch = guide.honour_branch
    steps = [_step_data(step, source="guide") for step in _steps(guide)]
    questions = []
    if branch is not None:
        steps += [_step_data(step, source=HONOUR_SOURCE) for step in _steps(branch)]
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


@transaction.atomic
def guide_publish(*, guide: Guide, actor=None) -> GuideVersion:
    """Freeze the guide's draft into a new numbered version. Published versions are never
    changed; a case started on version n keeps version n. A draft equal to the latest
    version publishes nothing new (the latest version is returned)."""
    if guide.kind != GuideKind.GUIDE:
        raise ValidationError(_("Alleen een leidraad wordt gepubliceerd, niet een route."))
    snapshot = guide_snapshot(guide=guide)
    if not snapshot["steps"]:
        raise ValidationError(_("Een leidraad zonder stappen kan niet worden gepubliceerd."))
    latest = guide.versions.select_for_update().order_by("-number").first()
    if latest is not None and latest.snapshot == snapshot:
        return latest
    version = GuideVersion(
        guide=guide,
        number=(latest.number + 1) if latest else 1,
        snapshot=snapshot,
        published_by=actor,
    )
    version.full_clean()
    version.save()
    return version


# --- Branching rules -----------------------------------------------------------------


def screening_outcome(*, questions: list[dict], answers: Mapping[str, str]) -> ScreeningOutcome:
    """FLAGGED when any signal question is answered ja or twijfel; CLEAR when every signal
    question is answered nee; INCOMPLETE otherwise. A guide without screening questions is
    CLEAR. (Cases add their own rule on top: a flag, once raised, stays until a consultation.)
    """
    signal_keys = [q["key"] for q in questions if q["is_honour_signal"]]
    given = {key: answers.get(key) for key in signal_keys}
    if any(answer in SIGNAL_ANSWERS for answer in given.values()):
        return ScreeningOutcome.FLAGGED
    if all(answer == Answer.NEE for answer in given.values()):
        return ScreeningOutcome.CLEAR
    return ScreeningOutcome.INCOMPLETE


def applicable_steps(*, snapshot: dict, outcome: ScreeningOutcome) -> list[dict]:
    """The steps of a case, in order, for a screening outcome:

    - FLAGGED: the honour branch first ("Raadpleeg eerst Veilig Thuis" opens it), then the
      guide's steps that apply always or only with signals;
    - CLEAR: the guide's steps that apply always or only without signals;
    - INCOMPLETE: only the steps that apply always — nothing that assumes an outcome.
    """
    guide_steps = [s for s in snapshot["steps"] if s["source"] != HONOUR_SOURCE]
    branch_steps = [s for s in snapshot["steps"] if s["source"] == HONOUR_SOURCE]
    if outcome == ScreeningOutcome.FLAGGED:
        return branch_steps + [s for s in guide_steps if s["branch"] != Branch.NOT_HONOUR]
    if outcome == ScreeningOutcome.CLEAR:
        return [s for s in guide_steps if s["branch"] != Branch.HONOUR]
    return [s for s in guide_steps if s["branch"] == Branch.ALWAYS]


def reading_steps(*, snapshot: dict) -> list[dict]:
    """Reading mode (no case): every step once, the honour branch first, as a worker with
    signals would meet it; each step keeps its `branch` so the page can mark it."""
    guide_steps = [s for s in snapshot["steps"] if s["source"] != HONOUR_SOURCE]
    branch_steps = [s for s in snapshot["steps"] if s["source"] == HONOUR_SOURCE]
    return branch_steps + guide_steps


def has_screening(snapshot: dict) -> bool:
    return bool(snapshot.get("questions"))
