"""Load the glossary from fixtures/content/glossary.json (see load_content)."""

import json
from pathlib import Path

from glossary.constants import Status
from glossary.models import Term
from glossary.services import term_save, term_set_relations


def load(content_dir: Path) -> str:
    """Create or update every term by its slug; safe to run twice. Labels, related and
    broader terms are set exactly as in the file."""
    entries = json.loads((Path(content_dir) / "glossary.json").read_text(encoding="utf-8"))
    terms = {}
    for entry in entries:
        term = Term.objects.filter(slug=entry["slug"]).first() or Term(slug=entry["slug"])
        for field in ("pref_label", "definition", "note", "parent_phrasing"):
            for language, text in entry.get(field, {}).items():
                setattr(term, f"{field}_{language}", text or "")
        term.category = entry["category"]
        term.source = entry.get("source", "")
        term.status = Status.GEPUBLICEERD
        terms[entry["slug"]] = term_save(
            term=term,
            alt_labels=entry.get("alt_labels", {}),
            hidden_labels=entry.get("hidden_labels", {}),
        )
    for entry in entries:
        term_set_relations(
            term=terms[entry["slug"]],
            related=[terms[slug] for slug in entry.get("related", [])],
            broader=terms[entry["broader"]] if entry.get("broader") else None,
        )
    return f"{len(terms)} terms"
