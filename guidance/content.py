"""Load the guides from fixtures/content/guides.json (see load_content) and publish them."""

import json
from pathlib import Path

from django.conf import settings

from glossary.models import Term
from guidance.constants import GuideKind
from guidance.models import Guide, ScreeningQuestion, Step
from guidance.services import guide_publish
from resources.models import ReferralRoute, Resource

HONOUR_BRANCH_SLUG = "eergerelateerd-geweld"
HONOUR_BRANCH_TITLE = {
    "nl": "Route bij signalen van eergerelateerd geweld: eerst Veilig Thuis",
    "en": "Route for signals of honour-related violence: Veilig Thuis first",
}
STEP_TEXTS = ("title", "body")
STEP_LISTS = ("checklist", "dos", "donts")


def _set_texts(obj, field: str, values: dict) -> None:
    for language, _name in settings.LANGUAGES:
        setattr(obj, f"{field}_{language}", (values or {}).get(language, ""))


def _sync_steps(guide: Guide, entries: list[dict], known: dict[str, dict]) -> None:
    terms, routes, resources = known["terms"], known["routes"], known["resources"]
    existing = {step.key: step for step in guide.steps.all()}
    for order, entry in enumerate(entries, start=1):
        step = existing.pop(entry["key"], None) or Step(guide=guide, key=entry["key"])
        before = _state(step)
        step.order = order * 10
        for field in STEP_TEXTS:
            _set_texts(step, field, entry[field])
        for field in STEP_LISTS:
            _set_texts(
                step,
                field,
                {
                    language: "\n".join(item[language] for item in entry.get(field, []))
                    for language, _name in settings.LANGUAGES
                },
            )
        step.kind = entry["kind"]
        step.branch = entry.get("branch", "always")
        step.involves_parent_contact = entry.get("involves_parent_contact", False)
        step.may_be_not_applicable = entry.get("may_be_not_applicable", False)
        if step.pk is None or before != _state(step):
            step.full_clean()
            step.save()
        for relation, by_slug in (("terms", terms), ("routes", routes), ("resources", resources)):
            wanted = {by_slug[slug].pk for slug in entry.get(relation, []) if slug in by_slug}
            manager = getattr(step, relation)
            if set(manager.values_list("pk", flat=True)) != wanted:
                manager.set(wanted)
    for step in existing.values():
        step.delete()


def load(content_dir: Path) -> str:
    """Create or update the honour branch, its screening questions and the guides by their
    keys, then publish each guide (a new version only where the content changed)."""
    data = json.loads((Path(content_dir) / "guides.json").read_text(encoding="utf-8"))
    known = {
        "terms": {term.slug: term for term in Term.objects.all()},
        "routes": {route.slug: route for route in ReferralRoute.objects.filter(region=None)},
        "resources": {res.slug: res for res in Resource.objects.filter(region=None)},
    }

    branch = Guide.objects.filter(slug=HONOUR_BRANCH_SLUG).first() or Guide(slug=HONOUR_BRANCH_SLUG)
    before = _state(branch)
    branch.kind = GuideKind.HONOUR_BRANCH
    _set_texts(branch, "title", HONOUR_BRANCH_TITLE)
    if branch.pk is None or before != _state(branch):
        branch.full_clean()
        branch.save()
    _sync_steps(branch, data["honour_branch"], known)
    existing = {q.key: q for q in branch.questions.all()}
    for order, entry in enumerate(data["screening_questions"], start=1):
        question = existing.pop(entry["key"], None) or ScreeningQuestion(
            guide=branch, key=entry["key"]
        )
        before = _state(question)
        question.order = order * 10
        _set_texts(question, "text", entry["text"])
        _set_texts(question, "help_text", entry.get("help_text"))
        question.is_honour_signal = entry.get("is_honour_signal", True)
        if question.pk is None or before != _state(question):
            question.full_clean()
            question.save()
    for question in existing.values():
        question.delete()

    published = []
    for order, entry in enumerate(data["guides"], start=1):
        guide = Guide.objects.filter(slug=entry["slug"]).first() or Guide(slug=entry["slug"])
        before = _state(guide)
        guide.kind = GuideKind.GUIDE
        guide.order = order
        for field in ("title", "situation", "introduction"):
            _set_texts(guide, field, entry[field])
        guide.honour_branch = branch if entry.get("honour_branch") else None
        if guide.pk is None or before != _state(guide):
            guide.full_clean()
            guide.save()
        _sync_steps(guide, entry["steps"], known)
        published.append(guide_publish(guide=guide))
    versions = ", ".join(f"{v.guide.slug} v{v.number}" for v in published)
    return f"{len(published)} guides ({versions}), {len(data['screening_questions'])} questions"


def _state(obj) -> tuple:
    """The saved fields' values, to save (and add history) only what the file changes."""
    return tuple(
        getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if f.attname not in {"id", "updated_at"}
    )
