from modeltranslation.translator import TranslationOptions, translator
from simple_history import register

from glossary.models import Label, Term


class TermTranslationOptions(TranslationOptions):
    fields = ("pref_label", "definition", "note", "parent_phrasing")
    required_languages = ("nl",)


translator.register(Term, TermTranslationOptions)
# History after translation, so the historical model has the per-language columns.
register(Term, excluded_fields=["content_hashes"])
register(Label)
