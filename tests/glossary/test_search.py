import pytest

from glossary.constants import Category, Status
from glossary.selectors import term_search
from tests.factories import TermFactory


@pytest.fixture
def terms(db):
    return {
        "egg": TermFactory(
            pref_label_nl="eergerelateerd geweld",
            alt_labels={"nl": ["eer-gerelateerd geweld"]},
            hidden_labels={"nl": ["eerggerelateerd"]},
            definition_nl="Geweld om de eer van de familie te herstellen.",
            category=Category.CULTUUR,
        ),
        "eerherstel": TermFactory(
            pref_label_nl="eerherstel",
            definition_nl="Het herstellen van de eer na eerverlies.",
            category=Category.CULTUUR,
        ),
        "haya": TermFactory(
            pref_label_nl="haya",
            hidden_labels={"nl": ["haja"]},
            definition_nl="Schaamte en bescheidenheid in de islam.",
            category=Category.CULTUUR,
        ),
        "sexting": TermFactory(
            pref_label_nl="sexting", definition_nl="Seksueel getinte berichten sturen."
        ),
        "misbruik": TermFactory(
            pref_label_nl="sexting misbruik",
            definition_nl="Sexting waarbij grenzen worden overschreden.",
            category=Category.VORMEN,
        ),
        "privé": TermFactory(
            pref_label_nl="geheim concept", status=Status.CONCEPT, definition_nl="Eer concept."
        ),
    }


def slugs(results):
    return [term.pref_label_nl for term in results]


class SearchTests:
    @pytest.mark.parametrize(
        "query", ["eergerelateerd", "Eer gerelateerd", "eergerelateerd geweld", "EERGERELATEERD"]
    )
    def test_spelling_variants_find_the_term(self, terms, query):
        assert "eergerelateerd geweld" in slugs(term_search(query=query))

    def test_accents_do_not_matter(self, terms):
        assert "eergerelateerd geweld" in slugs(term_search(query="eérgerelateérd"))

    def test_hidden_labels_are_searchable(self, terms):
        assert slugs(term_search(query="haja")) == ["haya"]
        assert slugs(term_search(query="eerggerelateerd")) == ["eergerelateerd geweld"]

    def test_words_in_definitions_are_found(self, terms):
        assert slugs(term_search(query="bescheidenheid")) == ["haya"]

    def test_an_exact_label_ranks_before_a_longer_one(self, terms):
        assert slugs(term_search(query="sexting"))[:2] == ["sexting", "sexting misbruik"]

    def test_category_filter_combines_with_search(self, terms):
        assert slugs(term_search(query="sexting", category=Category.VORMEN)) == ["sexting misbruik"]

    def test_concept_terms_are_never_found(self, terms):
        assert "geheim concept" not in slugs(term_search(query="concept"))
        assert "geheim concept" not in slugs(term_search())

    def test_no_query_lists_all_published_terms_a_to_z(self, terms):
        assert slugs(term_search()) == sorted(
            ["eergerelateerd geweld", "eerherstel", "haya", "sexting", "sexting misbruik"]
        )

    def test_punctuation_only_query_lists_everything(self, terms):
        assert len(term_search(query=" - ")) == 5

    def test_like_wildcards_are_not_wildcards(self, terms):
        assert len(term_search(query="%")) == 5
        assert term_search(query="x%y") == []


class SearchPageTests:
    def test_search_through_http_shows_ranked_results(self, client, worker, terms):
        client.force_login(worker)
        html = client.get("/begrippen/", {"q": "Eer gerelateerd"}).content.decode()
        assert "eergerelateerd geweld" in html
        assert "eerherstel" not in html

    def test_hidden_labels_are_never_shown(self, client, worker, terms):
        client.force_login(worker)
        html = client.get("/begrippen/", {"q": "haja"}).content.decode()
        results = html[html.index('<ol class="term-list') :]
        assert "/begrippen/" + terms["haya"].slug in results
        assert "haja" not in results
        detail = client.get(terms["haya"].get_absolute_url()).content.decode()
        assert "haja" not in detail

    def test_an_unknown_category_is_a_clear_error_not_a_500(self, client, worker, terms):
        client.force_login(worker)
        response = client.get("/begrippen/", {"category": "bestaat-niet"})
        assert response.status_code == 200
        assert "Selecteer een geldige keuze" in response.content.decode()

    def test_a_very_long_query_is_refused_with_a_message(self, client, worker, terms):
        client.force_login(worker)
        response = client.get("/begrippen/", {"q": "x" * 500})
        assert response.status_code == 200
        assert response.context["form"].errors["q"]
