"""Reads for the glossary: the A–Z index, search, term pages and the link index."""

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Prefetch, QuerySet
from django.utils.translation import get_language

from config.caching import version_token
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
    """A published term with its labels, related, broader and narrower terms. One query: the
    term itself (with its broader term); the labels and the related and narrower terms are
    kept per glossary version (every glossary change makes a new one) and language."""
    term = Term.objects.published().select_related("broader").get(slug=slug)
    language = (get_language() or "nl")[:2]
    key = f"glossary:term-relations:{label_index_version()}:{language}:{term.pk}"
    found = cache.get(key)
    if found is None:
        published = Term.objects.published().order_by("pref_label")
        found = {
            "labels": list(term.labels.order_by("text")),
            "related": list(published.filter(pk__in=term.related.values("pk"))),
            "narrower": list(published.filter(broader=term)),
        }
        cache.set(key, found, LABEL_INDEX_TIMEOUT)
    for name, items in found.items():
        if not hasattr(term, "_prefetched_objects_cache"):
            term._prefetched_objects_cache = {}
        queryset = getattr(term, name).get_queryset()
        queryset._result_cache, queryset._prefetch_done = items, True
        term._prefetched_objects_cache[name] = queryset
    return term


@dataclass(frozen=True)
class IndexSummary:
    """What the A–Z index shows above the terms: how many, and the letters that have some."""

    count: int
    letters: list[str]


def index_summary(*, category: str = "") -> IndexSummary:
    """The published terms' count and first letters (in the current language), kept per
    glossary version, language and category: no query when kept."""
    language = (get_language() or "nl")[:2]
    key = f"glossary:index-summary:{label_index_version()}:{language}:{category}"
    found = cache.get(key)
    if found is None:
        terms = Term.objects.published()
        if category:
            terms = terms.filter(category=category)
        terms = list(terms)
        found = IndexSummary(count=len(terms), letters=sorted({letter_of(t) for t in terms}))
        cache.set(key, found, LABEL_INDEX_TIMEOUT)
    return found


def letter_terms(*, letter: str, category: str = "") -> list[Term]:
    """The published terms under one letter of the index, A–Z, with their labels (the
    rendered letter is kept by the template per glossary version: see term_index.html)."""
    return [t for t in term_search(category=category) if letter_of(t) == letter]


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
    return version_token(LABEL_VERSION_CACHE_KEY, LABEL_INDEX_TIMEOUT)


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
    """Published terms for these slugs (other apps link terms by slug): one query, none
    when kept (per glossary version: every glossary change makes a new one)."""
    slugs = sorted(set(slugs))
    if not slugs:
        return {}
    digest = hashlib.blake2b("|".join(slugs).encode(), digest_size=12).hexdigest()
    key = f"glossary:terms-by-slug:{label_index_version()}:{digest}"
    found = cache.get(key)
    if found is None:
        found = {t.slug: t for t in Term.objects.published().filter(slug__in=slugs)}
        cache.set(key, found, LABEL_INDEX_TIMEOUT)
    return found
