import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext

from glossary.constants import Status
from glossary.services import term_save
from tests.factories import TermFactory, bulk_terms


def render(text, term=None):
    template = Template("{% load glossary_tags %}{{ text|markdown|glossary_links:term }}")
    return template.render(Context({"text": text, "term": term}))


@pytest.fixture
def terms(db):
    return {
        "sexting": TermFactory(slug="sexting", pref_label_nl="sexting"),
        "misbruik": TermFactory(
            slug="sexting-misbruik",
            pref_label_nl="sexting misbruik",
            alt_labels={"nl": ["sextingmisbruik"]},
        ),
        "exposing": TermFactory(
            slug="exposing",
            pref_label_nl="exposing",
            alt_labels={"nl": ["exposen"]},
            hidden_labels={"nl": ["exposign"]},
        ),
        "haram": TermFactory(slug="haram", pref_label_nl="haram"),
    }


class GlossaryLinksTests:
    def test_the_first_occurrence_is_linked(self, terms):
        html = render("Sexting is normaal. Sexting kan misgaan.")
        assert html.count('href="/begrippen/sexting/"') == 1
        assert '<a href="/begrippen/sexting/" class="glossary-link">Sexting</a> is normaal' in html

    def test_the_longest_label_wins(self, terms):
        html = render("Over sexting misbruik gesproken.")
        assert (
            '<a href="/begrippen/sexting-misbruik/" class="glossary-link">sexting misbruik</a>'
            in html
        )
        assert 'href="/begrippen/sexting/"' not in html

    def test_alternative_labels_link_to_their_term(self, terms):
        assert 'href="/begrippen/exposing/"' in render("Zij gingen exposen.")

    def test_hidden_labels_are_never_linked(self, terms):
        assert "glossary-link" not in render("Een typfout: exposign.")

    def test_whole_words_only(self, terms):
        html = render("Sextingfoto's en haramlijst zijn geen begrippen.")
        assert "glossary-link" not in html

    def test_case_is_kept_as_written(self, terms):
        assert ">HARAM</a>" in render("Dat is HARAM, zeggen ze.")

    def test_never_inside_an_existing_link(self, terms):
        html = render("Lees [meer over sexting](https://example.org/) of sexting hier.")
        assert (
            '<a href="https://example.org/" rel="noopener noreferrer">meer over sexting</a>' in html
        )
        assert html.count('href="/begrippen/sexting/"') == 1
        assert html.index('href="/begrippen/sexting/"') > html.index("example.org")

    def test_never_inside_headings_or_code(self, terms):
        html = render("## Over sexting\n\n`haram` in code\n\n    exposing in een blok\n\nTekst.")
        assert "glossary-link" not in html

    def test_never_links_the_page_to_itself(self, terms):
        html = render("Sexting en haram.", term=terms["sexting"])
        assert 'href="/begrippen/sexting/"' not in html
        assert 'href="/begrippen/haram/"' in html

    def test_concept_terms_are_not_linked(self, db):
        TermFactory(slug="geheim", pref_label_nl="geheimterm", status=Status.CONCEPT)
        assert "glossary-link" not in render("Een geheimterm.")

    def test_entities_and_markup_survive(self, terms):
        html = render("Tom & Jerry over **sexting** <script>x</script>")
        assert "&amp;" in html
        assert "&lt;script&gt;" in html
        assert (
            '<strong><a href="/begrippen/sexting/" class="glossary-link">sexting</a></strong>'
            in html
        )

    def test_plain_unsafe_text_is_escaped_first(self, terms):
        template = Template("{% load glossary_tags %}{{ text|glossary_links }}")
        html = template.render(Context({"text": "<b>sexting</b>"}))
        assert "<b>" not in html
        assert "&lt;b&gt;" in html

    def test_a_changed_term_is_linked_at_once(self, terms):
        assert "glossary-link" not in render("Over doxing.")
        TermFactory(slug="doxing", pref_label_nl="doxing")
        assert 'href="/begrippen/doxing/"' in render("Over doxing.")
        term = terms["haram"]
        term.pref_label_nl = "haraam"
        term_save(term=term)
        assert "glossary-link" not in render("Dat is haram.")


class GlossaryLinksCostTests:
    def test_at_most_one_query_with_500_terms_and_none_when_warm(self, db):
        bulk_terms(500)
        text = " ".join(f"woord{n}" for n in range(0, 500, 7))
        with CaptureQueriesContext(connection) as cold:
            html = render(text)
        assert len(cold.captured_queries) <= 1
        assert html.count("glossary-link") == len(range(0, 500, 7))
        with CaptureQueriesContext(connection) as warm:
            render(text)
            render(text)
        assert len(warm.captured_queries) == 0

    def test_the_linker_is_built_once_per_label_index_version(self, terms, monkeypatch):
        import glossary.selectors

        builds = []
        real = glossary.selectors.build_matcher
        monkeypatch.setattr(
            glossary.selectors, "build_matcher", lambda e: builds.append(1) or real(e)
        )
        for text in ("Over sexting.", "Dat is haram.", "Nog eens sexting.", "Over sexting."):
            render(text)
        assert len(builds) == 1
        term = terms["haram"]
        term.pref_label_nl = "haraam"
        term_save(term=term)
        assert "glossary-link" in render("Dat is haraam.")
        assert len(builds) == 2

    def test_a_trie_pattern_of_2000_labels_still_prefers_the_longest(self, db):
        from glossary.linking import build_matcher

        entries = [(f"woord{n}", n, f"w{n}") for n in range(2000)]
        entries += [("woord1 extra", 9999, "lang")]
        entries.sort(key=lambda e: (-len(e[0]), e[0]))
        matcher = build_matcher(entries)
        assert matcher.pattern.search("een Woord1 extra hier").group(0) == "Woord1 extra"
        assert matcher.pattern.search("een woord1 extraatje").group(0) == "woord1"
        assert matcher.pattern.search("woord12x") is None
