import pytest

from glossary.constants import Category, Status
from tests.factories import TermFactory, bulk_terms


@pytest.fixture
def term(db):
    broader = TermFactory(slug="sexting-misbruik", pref_label_nl="sexting misbruik")
    term = TermFactory(
        slug="exposing",
        pref_label_nl="exposing",
        pref_label_en="exposing (en)",
        alt_labels={"nl": ["exposen"], "en": ["outing"]},
        hidden_labels={"nl": ["exposign"]},
        definition_nl="Exposing is het openbaar maken van beelden om iemand te schande te maken. "
        "Het is een vorm van sexting misbruik.",
        definition_en="Exposing is making images public to shame someone.",
        note_nl="Ook wel *kech*-groepen.",
        parent_phrasing_nl="Iemand heeft een intieme foto van uw kind rondgestuurd.",
        parent_phrasing_en="Someone has passed around an intimate photo of your child.",
        category=Category.VORMEN,
        source="001, 002",
    )
    related = TermFactory(slug="doxing", pref_label_nl="doxing")
    hidden = TermFactory(slug="concept", pref_label_nl="conceptterm", status=Status.CONCEPT)
    term.related.set([related, hidden])
    term.broader = broader
    term.save()
    return term


class TermPageTests:
    def test_term_page_shows_everything_but_hidden_labels(self, client, worker, term):
        client.force_login(worker)
        html = client.get("/begrippen/exposing/").content.decode()
        assert "<h1>exposing</h1>" in html
        assert "exposen" in html
        assert "exposign" not in html
        assert "Zo zeg je het tegen ouders" in html
        assert "intieme foto" in html
        assert "<em>kech</em>" in html
        assert 'href="/begrippen/doxing/"' in html
        assert 'href="/begrippen/sexting-misbruik/"' in html  # broader, and linked in text
        assert "conceptterm" not in html
        assert "Overzichtskaart sexting misbruik" in html

    def test_term_page_in_english(self, client, worker, term):
        client.force_login(worker)
        client.post("/taal/", {"language": "en", "next": "/"})
        html = client.get("/begrippen/exposing/").content.decode()
        assert "<h1>exposing (en)</h1>" in html
        assert "outing" in html
        assert "Someone has passed around" in html
        assert "How to say it to parents" in html

    def test_english_falls_back_to_dutch_where_not_written(self, client, worker, term):
        client.force_login(worker)
        client.post("/taal/", {"language": "en", "next": "/"})
        html = client.get("/begrippen/exposing/").content.decode()
        assert "<em>kech</em>" in html  # the note has no English text yet

    def test_concept_and_unknown_terms_are_404(self, client, worker, term):
        client.force_login(worker)
        assert client.get("/begrippen/concept/").status_code == 404
        assert client.get("/begrippen/bestaat-niet/").status_code == 404

    def test_a_script_in_a_definition_is_shown_as_text(self, client, worker, db):
        TermFactory(
            slug="xss", pref_label_nl="xss", definition_nl="Kijk <script>alert(1)</script> uit"
        )
        client.force_login(worker)
        html = client.get("/begrippen/xss/").content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


class IndexPageTests:
    def test_index_groups_terms_by_letter_with_a_letter_bar(self, client, worker, term):
        client.force_login(worker)
        html = client.get("/begrippen/").content.decode()
        assert 'aria-current="page">D<' in html  # the first letter with terms is shown
        assert 'id="letter-d"' in html
        assert 'href="?letter=e"' in html
        assert "Q: geen begrippen" in html
        assert "3 begrippen" in html

    def test_the_index_shows_one_letter_at_a_time(self, client, worker, term):
        client.force_login(worker)
        html = client.get("/begrippen/", {"letter": "e"}).content.decode()
        assert 'id="letter-e"' in html and 'id="letter-d"' not in html
        assert 'href="/begrippen/exposing/"' in html
        assert 'href="/begrippen/doxing/"' not in html
        assert 'href="?letter=d"' in html

    def test_an_unknown_letter_shows_the_first_one(self, client, worker, term):
        client.force_login(worker)
        response = client.get("/begrippen/", {"letter": "<x>"})
        assert response.status_code == 200
        assert 'id="letter-d"' in response.content.decode()

    def test_category_filter(self, client, worker, term):
        client.force_login(worker)
        html = client.get("/begrippen/", {"category": "vormen"}).content.decode()
        assert "1 begrip" in html
        assert 'href="/begrippen/exposing/"' in html
        assert 'href="/begrippen/doxing/"' not in html

    def test_glossary_is_in_the_main_navigation(self, client, worker, db):
        client.force_login(worker)
        assert 'href="/begrippen/"' in client.get("/casussen/").content.decode()


class QueryBudgetTests:
    @pytest.fixture
    def many(self, db):
        return bulk_terms(500)

    def test_index_with_500_terms(self, client, worker, many, django_assert_max_num_queries):
        client.force_login(worker)
        with django_assert_max_num_queries(6):
            response = client.get("/begrippen/")
        assert response.content.decode().count('class="term-item"') == 500

    def test_search_with_500_terms(self, client, worker, many, django_assert_max_num_queries):
        client.force_login(worker)
        with django_assert_max_num_queries(6):
            response = client.get("/begrippen/", {"q": "woord1"})
        assert response.content.decode().count('class="term-item"') == 111

    def test_term_page_with_500_terms(self, client, worker, many, django_assert_max_num_queries):
        client.force_login(worker)
        term = many[0]
        term.related.set(many[1:40])
        with django_assert_max_num_queries(9):
            response = client.get(term.get_absolute_url())
        assert response.status_code == 200
        assert response.content.decode().count("/begrippen/woord-") >= 39
