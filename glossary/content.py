"""Load the glossary from fixtures/content/glossary.json (see load_content)."""

import json
from pathlib import Path

from glossary.constants import LabelKind, Status
from glossary.models import Term
from glossary.services import term_save, term_set_relations


def load(content_dir: Path) -> str:
    """Create or update every term by its slug; safe to run twice. Labels, related and
    broader terms are set exactly as in the file."""
    entries = json.loads((Path(content_dir) / "glossary.json").read_text(encoding="utf-8"))
    terms = {}
    existing = {t.slug: t for t in Term.objects.prefetch_related("labels")}
    for entry in entries:
        term = existing.get(entry["slug"]) or Term(slug=entry["slug"])
        before = _state(term)
        for field in ("pref_label", "definition", "note", "parent_phrasing"):
            for language, text in entry.get(field, {}).items():
                setattr(term, f"{field}_{language}", text or "")
        term.category = entry["category"]
        term.source = entry.get("source", "")
        term.status = Status.GEPUBLICEERD
        alt, hidden = entry.get("alt_labels", {}), entry.get("hidden_labels", {})
        if term.pk and before == _state(term) and _labels(term) == _wanted(term, alt, hidden):
            terms[entry["slug"]] = term  # unchanged: no save, no history entry
            continue
        terms[entry["slug"]] = term_save(term=term, alt_labels=alt, hidden_labels=hidden)
    # "related" is symmetric: a term is related to those it names and those naming it.
    related_slugs = {entry["slug"]: set(entry.get("related", [])) for entry in entries}
    for slug, others in list(related_slugs.items()):
        for other in others:
            related_slugs[other].add(slug)
    for entry in entries:
        term = terms[entry["slug"]]
        related = {terms[slug].pk for slug in related_slugs[entry["slug"]]}
        broader = terms[entry["broader"]].pk if entry.get("broader") else None
        current = set(term.related.values_list("pk", flat=True)) if term.pk else set()
        if current == related and term.broader_id == broader:
            continue
        term_set_relations(
            term=terms[entry["slug"]],
            related=[terms[slug] for slug in related_slugs[entry["slug"]]],
            broader=terms[entry["broader"]] if entry.get("broader") else None,
        )
    return f"{len(terms)} terms"


def _state(term: Term) -> tuple:
    fields = [f.attname for f in Term._meta.concrete_fields if f.attname not in _VOLATILE]
    return tuple(getattr(term, name) for name in fields)


_VOLATILE = {"id", "updated_at", "search_document", "broader_id"}


def _labels(term: Term) -> set[tuple[str, str, str]]:
    return {(label.language, label.kind, label.text) for label in term.labels.all()}


def _wanted(term: Term, alt: dict, hidden: dict) -> set[tuple[str, str, str]]:
    wanted = {
        (language, LabelKind.PREFERRED, (getattr(term, f"pref_label_{language}") or "").strip())
        for language in ("nl", "en")
        if getattr(term, f"pref_label_{language}", "")
    }
    for kind, given in ((LabelKind.ALTERNATIVE, alt), (LabelKind.HIDDEN, hidden)):
        for language, texts in given.items():
            wanted |= {(language, kind, " ".join(t.split())) for t in texts if t.strip()}
    return wanted
