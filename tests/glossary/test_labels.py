import pytest
from django.core.exceptions import ValidationError

from glossary.constants import LabelKind
from glossary.models import Label, Term
from glossary.services import term_save
from tests.factories import TermFactory


class LabelUniquenessTests:
    def test_an_alternative_label_of_another_term_is_refused_with_its_name(self, db):
        TermFactory(pref_label_nl="exposing", alt_labels={"nl": ["expose-account"]})
        term = Term(slug="nieuw", pref_label_nl="nieuw", definition_nl="Iets.", category="algemeen")
        with pytest.raises(ValidationError) as error:
            term_save(term=term, alt_labels={"nl": ["Expose-account"]})
        assert "exposing" in str(error.value)
        assert not Term.objects.filter(slug="nieuw").exists()

    def test_a_preferred_label_equal_to_a_hidden_label_is_refused(self, db):
        TermFactory(pref_label_nl="sextortion", hidden_labels={"nl": ["sextorsie"]})
        with pytest.raises(ValidationError) as error:
            TermFactory(pref_label_nl="Sextorsie")
        assert "sextortion" in str(error.value)

    def test_case_and_accents_make_no_difference(self, db):
        TermFactory(pref_label_nl="eergerelateerd geweld")
        with pytest.raises(ValidationError):
            TermFactory(pref_label_nl="Eergerelateerd Gewéld")

    def test_the_same_label_in_another_language_is_allowed(self, db):
        TermFactory(pref_label_nl="sexting", pref_label_en="sexting (nl term)")
        other = TermFactory(pref_label_nl="iets anders", pref_label_en="sexting")
        assert other.labels.filter(language="en", text="sexting").exists()

    def test_a_label_twice_on_one_term_is_refused(self, db):
        with pytest.raises(ValidationError) as error:
            TermFactory(pref_label_nl="haya", alt_labels={"nl": ["Haya"]})
        assert "twee keer" in str(error.value)

    def test_a_refused_change_changes_nothing(self, db):
        TermFactory(pref_label_nl="laster")
        term = TermFactory(pref_label_nl="smaad", alt_labels={"nl": ["smaadschrift"]})
        term.pref_label_nl = "laster"
        with pytest.raises(ValidationError):
            term_save(term=term, alt_labels={"nl": ["iets nieuws"]})
        term.refresh_from_db()
        assert term.pref_label_nl == "smaad"
        assert sorted(term.labels.values_list("text", flat=True)) == [
            "smaad",
            "smaad (en)",
            "smaadschrift",
        ]

    def test_the_database_refuses_a_duplicate_too(self, db):
        from django.db import IntegrityError, transaction

        first = TermFactory(pref_label_nl="doxing")
        second = TermFactory(pref_label_nl="doxen")
        with pytest.raises(IntegrityError), transaction.atomic():
            Label.objects.create(
                term=second,
                language="nl",
                kind=LabelKind.ALTERNATIVE,
                text="Doxing",
                folded="doxing",
            )
        assert first.labels.count() == 2

    def test_preferred_labels_follow_the_term_fields(self, db):
        term = TermFactory(pref_label_nl="exposen", pref_label_en="exposing")
        term.pref_label_nl = "exposing"
        term_save(term=term)
        assert set(
            term.labels.filter(kind=LabelKind.PREFERRED).values_list("language", "text")
        ) == {
            ("nl", "exposing"),
            ("en", "exposing"),
        }

    def test_model_clean_names_the_other_term(self, db):
        TermFactory(pref_label_nl="grooming")
        other = TermFactory(pref_label_nl="loverboy")
        label = Label(term=other, language="nl", kind=LabelKind.ALTERNATIVE, text="Grooming")
        with pytest.raises(ValidationError) as error:
            label.full_clean()
        assert "grooming" in str(error.value)
