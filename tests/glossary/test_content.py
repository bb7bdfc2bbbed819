from django.core.management import call_command

from glossary.constants import LabelKind, Status
from glossary.models import Label, Term

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
