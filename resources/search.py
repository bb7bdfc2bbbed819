"""Full-text search of the social map.

Every resource stores a search document: folded text (see glossary.text) in four sections,
`title | organisation | themes | description`, each in all content languages.

- PostgreSQL: the document is matched with the `dutch` text-search configuration (GIN index on
  the same expression, migration 0002), every query word as a prefix (`fiets:*`), because the
  Dutch stemmer turns "fiets" into "fiet" but "fietsen" into "fiets"; OR a substring match of
  every word (trigram index), so a word inside a compound ("sexting" in "sextingmisbruik")
  is found too.
- SQLite (the embedded default): every query word, or its naive Dutch stem, must occur in the
  document as a substring. Tested with the same cases as PostgreSQL.

Ranking is done in Python on the sections, the same on both databases: words in the title
count most, then organisation and themes, then the description.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Q, QuerySet

from glossary.text import search_form

SECTION_SEPARATOR = " | "
MAX_WORDS = 8
# Naive Dutch plural/inflection endings for the SQLite fallback, longest first.
_ENDINGS = ("heden", "eren", "ens", "en", "es", "s", "e")
_TSQUERY_SAFE = re.compile(r"[^\w]", re.UNICODE)

# The exact expression the GIN index of migration 0002 is built on; Django writes the
# SearchVector below as this SQL, so PostgreSQL can use the index.
SEARCH_CONFIG = "dutch"


def build_document(*, titles, organisations, themes, descriptions) -> str:
    """The stored search document: four folded sections."""
    sections = [" ".join(search_form(text) for text in group if text) for group in (
        titles, organisations, themes, descriptions
    )]  # fmt: skip
    return SECTION_SEPARATOR.join(sections)


def query_words(query: str) -> list[str]:
    """The words of a query in search form; one-letter words and duplicates dropped."""
    words = []
    for word in search_form(query or "").split():
        if len(word) > 1 and word not in words:
            words.append(word)
    return words[:MAX_WORDS]


def variants(word: str) -> list[str]:
    """The word and a naive Dutch stem of it ("fietsen" -> "fiets", "ouders" -> "ouder")."""
    forms = [word]
    if len(word) >= 5:
        for ending in _ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= 4:
                forms.append(word[: -len(ending)])
                break
    return forms


def _substring_q(words: list[str]) -> Q:
    condition = Q()
    for word in words:
        alternatives = Q()
        for form in variants(word):
            alternatives |= Q(search_document__contains=form)
        condition &= alternatives
    return condition


def _tsquery(words: list[str]) -> str:
    parts = [_TSQUERY_SAFE.sub("", word) for word in words]
    return " & ".join(f"{part}:*" for part in parts if part)


def matching(queryset: QuerySet, query: str) -> QuerySet:
    """`queryset` narrowed to resources matching `query` (unchanged for an empty query)."""
    words = query_words(query)
    if not words:
        return queryset
    condition = _substring_q(words)
    if connection.vendor == "postgresql":
        tsquery = _tsquery(words)
        if tsquery:
            queryset = queryset.annotate(
                search_vector=SearchVector("search_document", config=SEARCH_CONFIG)
            )
            condition |= Q(
                search_vector=SearchQuery(tsquery, search_type="raw", config=SEARCH_CONFIG)
            )
    return queryset.filter(condition)


def rank(document: str, words: list[str]) -> int:
    """Higher is better: title hits weigh most, then organisation and themes, then text."""
    sections = (document.split(SECTION_SEPARATOR) + ["", "", "", ""])[:4]
    title, organisation, themes, description = sections
    title_words = title.split()
    score = 0
    for word in words:
        forms = variants(word)
        if any(t.startswith(form) for t in title_words for form in forms):
            score += 8
        elif any(form in title for form in forms):
            score += 5
        if any(form in organisation for form in forms):
            score += 3
        if any(form in themes for form in forms):
            score += 3
        if any(form in description for form in forms):
            score += 1
    return score
