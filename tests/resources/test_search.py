import pytest
from django.db import connection
from hypothesis import example, given
from hypothesis import strategies as st

from glossary.text import search_form
from resources.models import Resource
from resources.search import (
    SECTION_SEPARATOR,
    build_document,
    matching,
    query_words,
    rank,
    variants,
)
from resources.selectors import MapFilters, map_page
from tests.factories import ResourceFactory


def found(query):
    return set(matching(Resource.objects.all(), query).values_list("slug", flat=True))


class DutchSearchTests:
    """Runs on SQLite (fallback) and on PostgreSQL (dutch text search); CI runs both."""

    @pytest.mark.parametrize("query", ["fiets", "fietsen", "Fietsen", "FIETS"])
    def test_fiets_and_fietsen_both_find_fietsen(self, db, query):
        ResourceFactory(
            slug="fietsen", title_nl="Ouderavond", description_nl="Met de ouders fietsen."
        )
        ResourceFactory(slug="anders", title_nl="Iets anders", description_nl="Over lezen.")
        assert found(query) == {"fietsen"}

    def test_a_plural_query_finds_the_singular(self, db):
        ResourceFactory(slug="ouder", title_nl="Brief", description_nl="Voor elke ouder.")
        assert found("ouders") == {"ouder"}

    def test_search_covers_organisation_and_themes(self, db):
        from tests.factories import OrganisationFactory, ThemeFactory

        theme = ThemeFactory(name_nl="Eergerelateerd geweld")
        organisation = OrganisationFactory(name_nl="Stichting Voorbeeldhulp")
        ResourceFactory(slug="r", organisation=organisation, themes=[theme])
        assert found("voorbeeldhulp") == {"r"}
        assert found("eergerelateerd") == {"r"}

    def test_accents_and_case_do_not_matter(self, db):
        ResourceFactory(slug="r", title_nl="Hindoeïstische ouders")
        assert found("hindoeistische") == {"r"}

    def test_every_word_has_to_match(self, db):
        ResourceFactory(slug="a", title_nl="Fietsen met ouders")
        ResourceFactory(slug="b", title_nl="Fietsen met jongeren")
        assert found("fietsen jongeren") == {"b"}

    @pytest.mark.parametrize("query", ["%", "_", "' OR 1=1 --", "fiets:* & !", "a"])
    def test_odd_input_is_harmless(self, db, query):
        ResourceFactory(slug="r", title_nl="Fietsen")
        found(query)  # no error

    def test_title_hits_rank_first(self, db, worker):
        ResourceFactory(slug="tekst", title_nl="Zomaar", description_nl="Iets over fietsen.")
        ResourceFactory(slug="titel", title_nl="Fietsen", description_nl="Iets.")
        result = map_page(user=worker, filters=MapFilters(query="fietsen"))
        assert [r.slug for r in result.resources] == ["titel", "tekst"]

    def test_query_words_and_variants(self):
        assert query_words("De fietsen, de fiets!") == ["de", "fietsen", "fiets"]
        assert variants("fietsen") == ["fietsen", "fiets"]
        assert variants("ouders") == ["ouders", "ouder"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")
class PostgresSearchTests:
    def test_dutch_stemming_finds_inflections_substring_matching_cannot(self, db):
        ResourceFactory(slug="gesprek", title_nl="Het gesprek", description_nl="Met ouders.")
        # "gesprekken" is not a substring of "gesprek", nor is its naive stem; the dutch
        # stemmer makes both "gesprek".
        assert found("gesprekken") == {"gesprek"}

    def test_the_gin_index_serves_the_query(self, db):
        ResourceFactory(slug="fietsen", title_nl="Fietsen")
        query = matching(Resource.objects.order_by(), "fiets").values("pk").query  # no ORDER BY
        sql, params = query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        indexes = ("resources_resource_search_vector", "resources_resource_search_trgm")
        assert any(index in plan for index in indexes)

    def test_the_app_starts_no_parallel_workers(self, db):
        # Starting them cost the map's searches 5-10 ms at 100,000 resources and made no
        # statement faster (DB_PARALLEL_WORKERS, config/settings/base.py).
        with connection.cursor() as cursor:
            cursor.execute("SHOW max_parallel_workers_per_gather")
            assert cursor.fetchone()[0] == "0"


def rank_as_specified(document: str, words: list[str]) -> int:
    """The score in its plainest form; rank() computes the same faster."""
    title, organisation, themes, description = (
        document.split(SECTION_SEPARATOR) + ["", "", "", ""]
    )[:4]
    score = 0
    for word in words:
        forms = variants(word)
        if any(t.startswith(form) for t in title.split() for form in forms):
            score += 8
        elif any(form in title for form in forms):
            score += 5
        score += 3 * any(form in organisation for form in forms)
        score += 3 * any(form in themes for form in forms)
        score += 1 * any(form in description for form in forms)
    return score


_PIECES = ["ouders", "ouder", "fiets", "fietsen", "sexting", "gesprek", "e-mail", "Één", "x"]
_texts = st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=12)), max_size=6).map(
    " ".join
)


@given(
    titles=st.lists(_texts, max_size=2),
    organisations=st.lists(_texts, max_size=2),
    themes=st.lists(_texts, max_size=2),
    descriptions=st.lists(_texts, max_size=2),
    query=st.one_of(
        _texts, st.lists(st.sampled_from(_PIECES + ["ets", "uder", "ting", "mai"])).map(" ".join)
    ),
)
@example(["Samen fietsen"], [], [], [], "ets")  # inside a title word: 5, not 8
@example(["Samen fietsen"], ["Wijkteam"], ["Ouders"], ["Fietsen."], "fiets ouders team")
def test_rank_scores_as_specified(titles, organisations, themes, descriptions, query):
    document = build_document(
        titles=titles, organisations=organisations, themes=themes, descriptions=descriptions
    )
    words = query_words(query)
    assert rank(document, words) == rank_as_specified(document, words)
    assert all(" " not in word and word == search_form(word) for word in words)
