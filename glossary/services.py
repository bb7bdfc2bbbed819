"""Writes for the glossary. Every change to a term's labels goes through here, so the label
rules (one term per label and language) hold and the link index is refreshed."""

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname
from simple_history.utils import bulk_create_with_history

from config.concurrency import version_claim
from glossary.constants import LabelKind
from glossary.models import Label, Term
from glossary.text import compact, fold, search_form

LABEL_INDEX_CACHE_KEY = "glossary:label-index:v1"
# A small token naming the current label index: the compiled linker and every linked text are
# kept per token, so forgetting the token makes them all stale at once.
LABEL_VERSION_CACHE_KEY = "glossary:label-version:v1"


def label_index_clear() -> None:
    """Forget the cached label index used by the `glossary_links` filter (and with its
    version, the compiled linker and the linked texts built from it)."""
    cache.delete_many([LABEL_INDEX_CACHE_KEY, LABEL_VERSION_CACHE_KEY])


def languages() -> list[str]:
    return [code for code, _ in settings.LANGUAGES]


def label_clashes(*, term: Term | None, labels: list[tuple[str, str]]) -> list[str]:
    """Messages for every (language, text) that is a label of another term already, or that
    occurs twice in `labels`. Empty when all is well."""
    messages, seen = [], set()
    for language, text in labels:
        key = (language, fold(text))
        if not key[1]:
            continue
        if key in seen:
            messages.append(
                _("‘%(label)s’ (%(language)s) staat twee keer bij dit begrip.")
                % {"label": text, "language": language}
            )
        seen.add(key)
    if not seen:
        return messages
    others = Label.objects.filter(
        folded__in={folded for _, folded in seen}, language__in={lang for lang, _ in seen}
    ).select_related("term")
    if term is not None and term.pk:
        others = others.exclude(term=term)
    for other in others:
        if (other.language, other.folded) in seen:
            messages.append(
                _(
                    "‘%(label)s’ (%(language)s) is al een label van het begrip ‘%(term)s’. "
                    "Een label hoort bij één begrip."
                )
                % {"label": other.text, "language": other.language, "term": other.term.pref_label}
            )
    return messages


def _localized(term: Term, field: str, language: str) -> str:
    return getattr(term, build_localized_fieldname(field, language)) or ""


@transaction.atomic
def term_save(
    *,
    term: Term,
    alt_labels: dict[str, list[str]] | None = None,
    hidden_labels: dict[str, list[str]] | None = None,
    save_term: bool = True,
) -> Term:
    """Validate and save a term with its labels.

    The preferred labels mirror `pref_label_<lang>`; alternative and hidden labels are
    replaced per language when given (None keeps them). Refused with a ValidationError that
    names the other term when any label already belongs to another term in that language.
    `save_term=False` when the caller (the admin) saved the term itself already. A save
    based on a version that is no longer the stored one is refused (VersionConflict).
    """
    term.full_clean()
    wanted: list[tuple[str, str, str]] = []  # (language, kind, text)
    for language in languages():
        pref = _localized(term, "pref_label", language).strip()
        if pref:
            wanted.append((language, LabelKind.PREFERRED, pref))
    for kind, given in ((LabelKind.ALTERNATIVE, alt_labels), (LabelKind.HIDDEN, hidden_labels)):
        if given is None:
            if term.pk:
                wanted += [
                    (label.language, label.kind, label.text)
                    for label in term.labels.filter(kind=kind)
                ]
            continue
        for language, texts in given.items():
            wanted += [(language, kind, " ".join(t.split())) for t in texts if t.strip()]

    problems = label_clashes(term=term, labels=[(lang, text) for lang, _, text in wanted])
    if problems:
        raise ValidationError(problems)

    if save_term or not term.pk:
        version_claim(term)  # a save based on a stale version is refused
        term.save()
    # Labels prefetched with the term (load_content reads all terms so) are stale from here.
    getattr(term, "_prefetched_objects_cache", {}).pop("labels", None)
    existing = {(label.language, label.kind, label.text): label for label in term.labels.all()}
    for key, label in existing.items():
        if key not in wanted:
            label.delete()
    # One insert for the labels and one for their history (a term has about eight).
    bulk_create_with_history(
        [
            Label(term=term, language=language, kind=kind, text=text, folded=fold(text))
            for language, kind, text in dict.fromkeys(wanted)
            if (language, kind, text) not in existing
        ],
        Label,
    )
    term_refresh_search_document(term=term)
    label_index_clear()
    return term


def term_refresh_search_document(*, term: Term) -> None:
    """Store what search compares: every label (also hidden) in search form and without
    spaces, plus the definitions, in all languages."""
    parts = []
    for label in term.labels.all():
        parts += [search_form(label.text), compact(label.text)]
    for language in languages():
        parts.append(search_form(_localized(term, "definition", language)))
    document = " | ".join(p for p in parts if p)
    Term.objects.filter(pk=term.pk).update(search_document=document)
    term.search_document = document


@transaction.atomic
def term_set_relations(
    *, term: Term, related: list[Term] | None = None, broader: Term | None = None
) -> Term:
    """Set related terms (symmetric) and the broader term; a term is never its own."""
    if broader is not None and broader.pk == term.pk:
        raise ValidationError(_("Een begrip kan niet breder zijn dan zichzelf."))
    if related is not None:
        term.related.set([other for other in related if other.pk != term.pk])
    term.broader = broader
    version_claim(term)
    term.save(update_fields=["broader", "updated_at", "version"])
    label_index_clear()
    return term


@transaction.atomic
def term_delete(*, term: Term) -> None:
    term.delete()
    label_index_clear()
