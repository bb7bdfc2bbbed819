"""Reads for the glossary: the A–Z index, search, term pages and the link index."""

import uuid

from django.core.cache import cache
from django.db.models import Prefetch, QuerySet
from django.utils.translation import get_language

from glossary.constants import LabelKind, Status
from glossary.linking import Matcher, build_matcher
from glossary.models import Label, Term
from glossary.services import LABEL_INDEX_CACHE_KEY, LABEL_VERSION_CACHE_KEY
from glossary.text import compact, fold, search_form

LABEL_INDEX_TIMEOUT = 300  # seconds; other processes see a change within this time


def _published_terms() -> QuerySet[Term]:
    return Term.objects.published().prefetch_related(
        Prefetch("labels", queryset=Label.objects.order_by("text"))
    )


def term_search(*, query: str = "", category: str = "") -> list[Term]:
    """Published terms matching the query (labels, hidden labels too, and definitions;
    case, accents, spaces and hyphens do not matter), best matches first: a label equal to
    the query, then a label starting with it, then anything else; A–Z within each."""
    terms = _published_terms()
    if category:
        terms = terms.filter(category=category)
    wanted = search_form(query)
    squeezed = compact(query)
    if squeezed:
        terms = terms.filter(search_document__contains=wanted) | terms.filter(
            search_document__contains=squeezed
        )
    results = list(terms.distinct())
    if squeezed:
        return sorted(results, key=lambda term: (_rank(term, wanted, squeezed), sort_key(term)))
    return sorted(results, key=sort_key)


def _rank(term: Term, wanted: str, squeezed: str) -> int:
    forms = [(search_form(label.text), compact(label.text)) for label in term.labels.all()]
    if any(form == wanted or squeezed == flat for form, flat in forms):
        return 0
    if any(form.startswith(wanted) or flat.startswith(squeezed) for form, flat in forms):
        return 1
    if any(wanted in form or squeezed in flat for form, flat in forms):
        return 2
    return 3


def sort_key(term: Term) -> str:
    return fold(term.pref_label)


def letter_of(term: Term) -> str:
    first = sort_key(term)[:1].upper()
    return first if first.isalpha() else "#"


def terms_by_letter(terms: list[Term]) -> list[tuple[str, list[Term]]]:
    """Group terms (already sorted) by the first letter of their label in this language."""
    groups: dict[str, list[Term]] = {}
    for term in sorted(terms, key=sort_key):
        groups.setdefault(letter_of(term), []).append(term)
    return sorted(groups.items())


def visible_labels(term: Term, language: str | None = None) -> list[str]:
    """Alternative labels in the current language; never the hidden ones."""
    language = language or (get_language() or "nl")[:2]
    return [
        label.text
        for label in term.labels.all()
        if label.kind == LabelKind.ALTERNATIVE and label.language == language
    ]


def term_detail(*, slug: str) -> Term:
    """A published term with its labels, related, broader and narrower terms."""
    published = Term.objects.published()
    return (
        _published_terms()
        .select_related("broader")
        .prefetch_related(
            Prefetch("related", queryset=published.order_by("pref_label")),
            Prefetch("narrower", queryset=published.order_by("pref_label")),
        )
        .get(slug=slug)
    )


def label_index() -> dict[str, list[tuple[str, int, str]]]:
    """Per language: (label, term id, url slug) of published terms' preferred and alternative
    labels, longest first. One query when not cached, none when cached."""
    index = cache.get(LABEL_INDEX_CACHE_KEY)
    if index is not None:
        return index
    index = {}
    rows = (
        Label.objects.filter(term__status=Status.GEPUBLICEERD)
        .exclude(kind=LabelKind.HIDDEN)
        .values_list("language", "text", "term_id", "term__slug")
    )
    for language, text, term_id, slug in rows:
        index.setdefault(language, []).append((text, term_id, slug))
    for entries in index.values():
        entries.sort(key=lambda entry: (-len(entry[0]), entry[0]))
    cache.set(LABEL_INDEX_CACHE_KEY, index, LABEL_INDEX_TIMEOUT)
    return index


_matchers: dict[tuple[str, str], Matcher] = {}


def label_index_version() -> str:
    """The token of the current label index (made when none is cached); no query."""
    version = cache.get(LABEL_VERSION_CACHE_KEY)
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(LABEL_VERSION_CACHE_KEY, version, LABEL_INDEX_TIMEOUT):
            version = cache.get(LABEL_VERSION_CACHE_KEY) or version
    return version


def glossary_matcher(language: str, version: str | None = None) -> Matcher:
    """The compiled labels of `language` (Dutch where a language has none), built once per
    process and label-index version: a request that finds it built costs no query and no
    unpickling of the index."""
    version = version or label_index_version()
    key = (version, language)
    matcher = _matchers.get(key)
    if matcher is None:
        index = label_index()
        matcher = build_matcher(index.get(language) or index.get("nl", []))
        if not any(v == version for v, _ in _matchers):
            _matchers.clear()  # an older version: nobody asks for it any more
        _matchers[key] = matcher
    return matcher


def terms_by_slug(slugs) -> dict[str, Term]:
    """Published terms for these slugs, in one query (other apps link terms by slug)."""
    slugs = set(slugs)
    if not slugs:
        return {}
    return {term.slug: term for term in Term.objects.published().filter(slug__in=slugs)}
