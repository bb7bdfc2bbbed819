"""Load the glossary from fixtures/content/glossary.json (see load_content and the loader
interface in config/content.py): terms by slug, then their relations."""

import json
from pathlib import Path

from django.conf import settings

from config.content import ContentReport, content_sync
from glossary.constants import LabelKind, Status
from glossary.models import Term
from glossary.services import term_save, term_set_relations

TRANSLATED = ("pref_label", "definition", "note", "parent_phrasing")
PLAIN = ("category", "source")


def _labels(kind: str):
    def read(term: Term) -> list[list[str]]:
        return sorted(
            [label.language, label.text] for label in term.labels.all() if label.kind == kind
        )

    return read


def _wanted_labels(given: dict[str, list[str]]) -> list[list[str]]:
    return sorted(
        [language, " ".join(text.split())]
        for language, texts in (given or {}).items()
        for text in texts
        if text.strip()
    )


READERS = {"alt_labels": _labels(LabelKind.ALTERNATIVE), "hidden_labels": _labels(LabelKind.HIDDEN)}


def _wanted(entry: dict) -> dict:
    wanted = {
        f"{name}_{language}": (entry.get(name) or {}).get(language) or ""
        for name in TRANSLATED
        for language, _label in settings.LANGUAGES
    }
    wanted.update({name: entry.get(name) or "" for name in PLAIN})
    wanted["status"] = Status.GEPUBLICEERD
    wanted["alt_labels"] = _wanted_labels(entry.get("alt_labels"))
    wanted["hidden_labels"] = _wanted_labels(entry.get("hidden_labels"))
    return wanted


def load(content_dir: Path) -> ContentReport:
    """Create missing terms and update those nobody changed in the back office; a term the
    back office edited or took offline keeps its state. Related terms are symmetric."""
    entries = json.loads((Path(content_dir) / "glossary.json").read_text(encoding="utf-8"))
    report = ContentReport("glossary terms")
    existing = {t.slug: t for t in Term.objects.prefetch_related("labels", "related")}
    terms: dict[str, Term] = {}
    for entry in entries:
        term = existing.get(entry["slug"]) or Term(slug=entry["slug"])

        def save(term, wanted, entry=entry):
            return term_save(
                term=term,
                alt_labels=entry.get("alt_labels", {}),
                hidden_labels=entry.get("hidden_labels", {}),
            )

        terms[entry["slug"]], _ = content_sync(
            obj=term, key=entry["slug"], wanted=_wanted(entry), save=save, report=report,
            readers=READERS,
        )  # fmt: skip

    # "related" is symmetric: a term is related to those it names and those naming it.
    related_slugs = {entry["slug"]: set(entry.get("related", [])) for entry in entries}
    for slug, others in list(related_slugs.items()):
        for other in others:
            related_slugs[other].add(slug)
    relations = ContentReport("glossary relations")
    # Setting one term's related terms changes the others' too: judge edits by the state
    # before this pass.
    before = {
        term.pk: {
            "related": set(term.related.values_list("pk", flat=True)),
            "broader_id": term.broader_id,
        }
        for term in terms.values()
    }
    for entry in entries:
        term = terms[entry["slug"]]
        broader = terms[entry["broader"]] if entry.get("broader") else None
        wanted = {
            "related": {terms[slug].pk for slug in related_slugs[entry["slug"]]},
            "broader_id": broader.pk if broader else None,
        }

        def save(term, wanted, broader=broader):
            others = Term.objects.filter(pk__in=wanted["related"])
            return term_set_relations(term=term, related=list(others), broader=broader)

        content_sync(
            obj=term, key=entry["slug"], wanted=wanted, save=save, report=relations,
            now=before[term.pk],
        )  # fmt: skip
    report.notes.append(str(relations))
    return report
