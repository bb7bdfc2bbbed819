"""Load the guides from fixtures/content/guides.json (see load_content and the loader interface
in config/content.py) and publish what the load changed. A guide, step or question the back
office edited keeps its state, and a guide with such an edit is not published by the load:
publishing the Beheerder's draft is the Beheerder's decision."""

import json
from pathlib import Path

from django.conf import settings

from config.concurrency import version_claim
from config.content import ContentReport, content_sync, current_values, digest
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
# The change note of a version load_content publishes (stored as written, like a Beheerder's).
CONTENT_NOTE = "Bijgewerkt uit de inhoudsbestanden (load_content)."
GUIDE_TEXTS = ("title", "situation", "introduction")
STEP_TEXTS = ("title", "body")
STEP_LISTS = ("checklist", "dos", "donts")
QUESTION_TEXTS = ("text", "help_text")


def _texts(values: dict | None, field: str) -> dict:
    return {
        f"{field}_{language}": (values or {}).get(language) or ""
        for language, _name in settings.LANGUAGES
    }


def _save(obj, wanted):
    obj.full_clean()
    version_claim(obj)  # a back-office save in between wins; this load is refused
    obj.save()
    for name in ("terms", "routes", "resources"):
        if name in wanted:
            getattr(obj, name).set(wanted[name])
    return obj


class _Guide:
    """The outcome of one guide's rows: publish only when the load changed something and the
    back office did not."""

    def __init__(self):
        self.changed = False
        self.kept_edit = False

    def note(self, outcome: str) -> None:
        self.changed |= outcome in {"created", "updated", "deleted"}
        self.kept_edit |= outcome == "skipped"


def _sync_steps(guide: Guide, entries: list[dict], known: dict, report, state: _Guide) -> None:
    existing = {step.key: step for step in guide.steps.all()}
    for order, entry in enumerate(entries, start=1):
        step = existing.pop(entry["key"], None) or Step(guide=guide, key=entry["key"])
        wanted = {"order": order * 10}
        for field in STEP_TEXTS:
            wanted.update(_texts(entry[field], field))
        for field in STEP_LISTS:
            items = entry.get(field, [])
            joined = {
                language: "\n".join(item[language] for item in items)
                for language, _name in settings.LANGUAGES
            }
            wanted.update(_texts(joined, field))
        wanted.update(
            {
                "kind": entry["kind"],
                "branch": entry.get("branch", "always"),
                "involves_parent_contact": entry.get("involves_parent_contact", False),
                "may_be_not_applicable": entry.get("may_be_not_applicable", False),
            }
        )
        for relation in ("terms", "routes", "resources"):
            by_slug = known[relation]
            wanted[relation] = {
                by_slug[slug].pk for slug in entry.get(relation, []) if slug in by_slug
            }
        _step, outcome = content_sync(
            obj=step, key=f"{guide.slug}/{entry['key']}", wanted=wanted, save=_save, report=report
        )
        state.note(outcome)
    _remove_unedited(existing.values(), state)


def _remove_unedited(rows, state: _Guide) -> None:
    """Rows the file no longer has go, when the load made them and nobody changed them since;
    rows the back office added or edited stay."""
    for row in rows:
        if row.content_hashes and not _changed_since_load(row):
            row.delete()
            state.note("deleted")


def _changed_since_load(row) -> bool:
    stored = row.content_hashes.get("row", {})
    now = current_values(row, stored)
    return any(digest(now[name]) != stored[name] for name in stored)


def load(content_dir: Path) -> ContentReport:
    """Create or update the honour branch, its screening questions and the guides by their
    keys, then publish each guide the load changed (a new version only where the content
    changed)."""
    data = json.loads((Path(content_dir) / "guides.json").read_text(encoding="utf-8"))
    report = ContentReport("guides")
    known = {
        "terms": {term.slug: term for term in Term.objects.all()},
        "routes": {route.slug: route for route in ReferralRoute.objects.filter(region=None)},
        "resources": {res.slug: res for res in Resource.objects.filter(region=None)},
    }

    branch_state = _Guide()
    branch = Guide.objects.filter(slug=HONOUR_BRANCH_SLUG).first() or Guide(slug=HONOUR_BRANCH_SLUG)
    branch, outcome = content_sync(
        obj=branch, key=HONOUR_BRANCH_SLUG,
        wanted={"kind": GuideKind.HONOUR_BRANCH, **_texts(HONOUR_BRANCH_TITLE, "title")},
        save=_save, report=report,
    )  # fmt: skip
    branch_state.note(outcome)
    _sync_steps(branch, data["honour_branch"], known, report, branch_state)
    existing = {q.key: q for q in branch.questions.all()}
    for order, entry in enumerate(data["screening_questions"], start=1):
        question = existing.pop(entry["key"], None) or ScreeningQuestion(
            guide=branch, key=entry["key"]
        )
        wanted = {
            "order": order * 10,
            **_texts(entry["text"], "text"),
            **_texts(entry.get("help_text"), "help_text"),
            "is_honour_signal": entry.get("is_honour_signal", True),
        }
        _question, outcome = content_sync(
            obj=question, key=f"{HONOUR_BRANCH_SLUG}/{entry['key']}", wanted=wanted,
            save=_save, report=report,
        )  # fmt: skip
        branch_state.note(outcome)
    _remove_unedited(existing.values(), branch_state)

    published, kept = [], []
    for order, entry in enumerate(data["guides"], start=1):
        state = _Guide()
        guide = Guide.objects.filter(slug=entry["slug"]).first() or Guide(slug=entry["slug"])
        wanted = {"kind": GuideKind.GUIDE, "order": order}
        for field in GUIDE_TEXTS:
            wanted.update(_texts(entry[field], field))
        wanted["honour_branch_id"] = branch.pk if entry.get("honour_branch") else None
        guide, outcome = content_sync(
            obj=guide, key=entry["slug"], wanted=wanted, save=_save, report=report
        )
        state.note(outcome)
        _sync_steps(guide, entry["steps"], known, report, state)
        # The branch's steps and questions are part of every guide that uses it.
        if guide.honour_branch_id:
            state.changed |= branch_state.changed
            state.kept_edit |= branch_state.kept_edit
        if state.kept_edit:
            kept.append(guide.slug)
        elif state.changed or not guide.versions.exists():
            version = guide_publish(guide=guide, note=CONTENT_NOTE)
            published.append(f"{guide.slug} v{version.number}")
    if published:
        report.notes.append("published: " + ", ".join(published))
    if kept:
        report.notes.append(
            "not published (back-office edits wait for a Beheerder): " + ", ".join(kept)
        )
    return report
