from modeltranslation.translator import TranslationOptions, translator
from simple_history import register

from guidance.models import Guide, ScreeningQuestion, Step


class GuideTranslationOptions(TranslationOptions):
    fields = ("title", "situation", "introduction")
    required_languages = ("nl",)


class StepTranslationOptions(TranslationOptions):
    fields = ("title", "body", "checklist", "dos", "donts")
    required_languages = ("nl",)


class ScreeningQuestionTranslationOptions(TranslationOptions):
    fields = ("text", "help_text")
    required_languages = ("nl",)


translator.register(Guide, GuideTranslationOptions)
translator.register(Step, StepTranslationOptions)
translator.register(ScreeningQuestion, ScreeningQuestionTranslationOptions)
# History after translation, so the historical models have the per-language columns.
register(Guide, excluded_fields=["content_hashes"])
register(Step, excluded_fields=["content_hashes"])
register(ScreeningQuestion, excluded_fields=["content_hashes"])
