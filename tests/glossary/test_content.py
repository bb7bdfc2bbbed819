import pytest
from django.conf import settings
from django.core.management import call_command

from glossary.constants import LabelKind, Status
from glossary.content import load as load_glossary
from glossary.models import Label, Term
from tests.content_checks import SOURCE_CODE, main_of, old_article_cited_as_current
from tests.shared import shared_rows

REQUIRED = [
    "sexting", "sexting-misbruik", "ongewenste-sexting", "shame-sexting", "slut-shaming",
    "exposing", "online-shamen", "expose-groep", "doxing", "sextortion", "wraakporno",
    "grooming", "cyberpesten", "victim-blaming", "online-weerbaarheid", "eergerelateerd-geweld",
    "eerherstel", "schaamtecultuur", "sociale-controle", "seksuele-eer", "haram", "haya",
    "mani-ka-bolle", "de-zonde-bedekken", "dubbele-moraal", "catcalling", "lhbtiq", "meldcode",
    "afwegingskader", "veilig-thuis", "lec-egg", "geestelijk-verzorger",
    "migrantenzelforganisatie", "sociale-kaart", "digitale-kloof", "sekspositief-opvoeden",
    "halt-interventie", "herstelgesprek", "vog", "smaad", "laster", "belediging", "belaging",
    "schending-portretrecht", "seksueel-beeldmateriaal-van-kinderen",
]  # fmt: skip


class GlossaryContentTests:
    def test_fixture_terms_are_published_in_dutch_and_english(self, db, content):
        terms = Term.objects.published()
        assert terms.count() >= 40
        assert set(REQUIRED) <= set(terms.values_list("slug", flat=True))
        for term in terms:
            assert term.pref_label_nl and term.pref_label_en, term.slug
            assert term.definition_nl and term.definition_en, term.slug

    def test_loading_twice_changes_nothing(self, db, content):
        before = (
            Term.objects.count(),
            sorted(Label.objects.values_list("language", "kind", "text")),
            sorted(Term.related.through.objects.values_list("from_term_id", "to_term_id")),
        )
        call_command("load_content", verbosity=0)
        after = (
            Term.objects.count(),
            sorted(Label.objects.values_list("language", "kind", "text")),
            sorted(Term.related.through.objects.values_list("from_term_id", "to_term_id")),
        )
        assert before == after

    def test_legal_terms_do_not_cite_the_old_sexual_offence_numbers_as_current(self, db, content):
        for term in Term.objects.filter(category="recht"):
            for text in (term.definition_nl, term.definition_en):
                assert "204b" not in text
                assert "240b" not in text, term.slug

    def test_hidden_labels_exist_for_common_misspellings(self, db, content):
        assert Label.objects.filter(kind=LabelKind.HIDDEN).count() >= 20
        assert Term.objects.filter(status=Status.CONCEPT).count() == 0


@pytest.fixture(scope="class")
def _glossary_rows(django_db_setup, django_db_blocker):
    with shared_rows(django_db_blocker):
        load_glossary(settings.CONTENT_DIR)
        yield


@pytest.fixture
def loaded_glossary(db, _glossary_rows):
    """The glossary as load_content loads it (its own loader only, which is quicker), loaded
    once per class: the tests only read it, and what one changes is rolled back after it."""


class GlossaryCorrectionTests:
    """Issue 9: the content checked against the seeds, in Dutch and English."""

    def test_no_term_text_or_page_shows_a_source_code(self, client, worker, loaded_glossary):
        terms = list(Term.objects.published())
        for term in terms:
            for field in ("pref_label", "definition", "note", "parent_phrasing"):
                for language in ("nl", "en"):
                    text = getattr(term, f"{field}_{language}") or ""
                    assert not SOURCE_CODE.search(text), (term.slug, field, language)
        client.force_login(worker)
        for language in ("nl", "en"):
            client.post("/taal/", {"language": language, "next": "/"})
            for term in terms:
                page = main_of(client.get(f"/begrippen/{term.slug}/").content.decode())
                assert not SOURCE_CODE.search(page), (term.slug, language)

    def test_term_page_names_its_sources_in_words(self, client, worker, loaded_glossary):
        client.force_login(worker)
        page = main_of(client.get("/begrippen/exposing/").content.decode())
        assert "Handvatten: shame sexting bespreken met ouders met een migratieachtergrond" in page
        assert "Volgens de KIS-brochure over" in page  # the note, glossary-linked

    def test_images_of_minors_cite_article_252_and_240b_only_as_replaced(self, loaded_glossary):
        term = Term.objects.get(slug="seksueel-beeldmateriaal-van-kinderen")
        assert "artikel 252" in term.note_nl and "1 juli 2024" in term.note_nl
        assert "article 252" in term.note_en and "1 July 2024" in term.note_en
        for term in Term.objects.all():
            for language in ("nl", "en"):
                for field in ("definition", "note", "parent_phrasing"):
                    text = getattr(term, f"{field}_{language}") or ""
                    assert not old_article_cited_as_current(text), (term.slug, field, language)

    def test_the_2016_guideline_is_dated_not_presented_as_current(self, loaded_glossary):
        term = Term.objects.get(slug="seksueel-beeldmateriaal-van-kinderen")
        assert "Aanwijzing kinderpornografie van het Openbaar Ministerie uit 2016" in term.note_nl
        assert "dateert van vóór de Wet seksuele misdrijven" in term.note_nl
        assert "2016 guideline" in term.note_en
        assert "dates from before the Sexual Offences Act" in term.note_en

    def test_afwegingskader_puts_questions_1_and_2_in_step_4_and_3_to_5_in_step_5(
        self, loaded_glossary
    ):
        term = Term.objects.get(slug="afwegingskader")
        assert "afweging 2 (is er acute of structurele onveiligheid?) horen bij stap 4" in (
            term.note_nl
        )
        assert "Afwegingen 3 tot en met 5" in term.note_nl and "bij stap 5" in term.note_nl
        assert "belong to step 4" in term.note_en and "Questions 3 to 5" in term.note_en
        assert "belong to step 5" in term.note_en

    def test_sextortion_says_do_not_pay_stop_contact_keep_the_evidence(self, loaded_glossary):
        term = Term.objects.get(slug="sextortion")
        for phrase in ("betaal niet", "stop het contact", "bewaar het bewijs", "1.944"):
            assert phrase in term.note_nl, phrase
        for phrase in ("do not pay", "stop contact", "keep the evidence", "1,944"):
            assert phrase in term.note_en, phrase
