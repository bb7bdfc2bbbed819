"""Full-text search of the social map.

Every resource stores a search document: folded text (see glossary.text) in four sections,
`title | organisation | themes | description`, each in all content languages.

- PostgreSQL: the document is matched with the `dutch` text-search configuration (its vector
  stored by the database in a generated column with a GIN index, migration 0014), every query
  word as a prefix (`fiets:*`), because the Dutch stemmer turns "fiets" into "fiet" but
  "fietsen" into "fiets"; OR a substring match of every word (trigram index), so a word
  inside a compound ("sexting" in "sextingmisbruik") is found too.
- SQLite (the embedded default): every query word, or its naive Dutch stem, must occur in the
  document as a substring. Tested with the same cases as PostgreSQL.

Ranking is done in Python on the sections, the same on both databases: words in the title
count most, then organisation and themes, then the description.
"""

import re

from django.db import NotSupportedError, connection
from django.db.models import BooleanField, Expression, F, Q, QuerySet

from glossary.text import search_form

SECTION_SEPARATOR = " | "
MAX_WORDS = 8
# Naive Dutch plural/inflection endings for the SQLite fallback, longest first.
_ENDINGS = ("heden", "eren", "ens", "en", "es", "s", "e")
_TSQUERY_SAFE = re.compile(r"[^\w]", re.UNICODE)

# The text-search configuration of the stored vector (migration 0014) and of the queries.
SEARCH_CONFIG = "dutch"
# Its vector, stored by PostgreSQL in this column of resources_resource (migration 0014).
STORED_VECTOR = "search_vector"


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
            condition |= Q(StoredVectorMatch(tsquery))
    return queryset.filter(condition)


class StoredVectorMatch(Expression):
    """`search_vector @@ to_tsquery('dutch', …)` on PostgreSQL: the search document's
    full-text vector, stored beside it by the database (a generated column with a GIN index,
    migration 0014) and unknown to the model, read through the same table alias as
    `search_document`, so it also works where the queryset is a subquery."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, tsquery: str, document=None):
        super().__init__()
        self.tsquery = tsquery
        self.document = document if document is not None else F("search_document")

    def get_source_expressions(self):
        return [self.document]

    def set_source_expressions(self, exprs):
        (self.document,) = exprs

    def as_sql(self, compiler, connection):
        if connection.vendor != "postgresql":
            raise NotSupportedError("The stored search vector exists on PostgreSQL only.")
        table = compiler.quote_name_unless_alias(self.document.alias)
        column = connection.ops.quote_name(STORED_VECTOR)
        return f"{table}.{column} @@ to_tsquery(%s::regconfig, %s)", [SEARCH_CONFIG, self.tsquery]


def rank(document: str, words: list[str]) -> int:
    """Higher is better: title hits weigh most, then organisation and themes, then text."""
    return scorer(words)(document)


def scorer(words: list[str]):
    """rank() for many documents with the same words: each word's forms worked out once. A
    title word starts with a form when the title, after a space, holds that space and the
    form (a document's sections are search forms: words with one space between them)."""
    plan = [(forms, tuple(" " + form for form in forms)) for forms in map(variants, words)]

    def score(document: str) -> int:
        sections = (document.split(SECTION_SEPARATOR) + ["", "", "", ""])[:4]
        title, organisation, themes, description = sections
        spaced_title = " " + title
        total = 0
        for forms, word_starts in plan:
            if any(start in spaced_title for start in word_starts):
                total += 8
            elif any(form in title for form in forms):
                total += 5
            if any(form in organisation for form in forms):
                total += 3
            if any(form in themes for form in forms):
                total += 3
            if any(form in description for form in forms):
                total += 1
        return total

    return score
