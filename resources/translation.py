from modeltranslation.translator import TranslationOptions, translator
from simple_history import register

from resources.models import (
    Organisation,
    ProfessionalGroup,
    ReferralRoute,
    Resource,
    Source,
    Theme,
)


class NameTranslationOptions(TranslationOptions):
    fields = ("name",)
    required_languages = ("nl",)


class OrganisationTranslationOptions(TranslationOptions):
    fields = ("name", "description")
    required_languages = ("nl",)


class ResourceTranslationOptions(TranslationOptions):
    fields = ("title", "description", "alert", "parent_text")
    required_languages = {"nl": ("title", "description")}


class ReferralRouteTranslationOptions(TranslationOptions):
    fields = ("channel", "conditions", "parent_text")
    required_languages = {"nl": ("channel",)}


translator.register(Theme, NameTranslationOptions)
translator.register(ProfessionalGroup, NameTranslationOptions)
translator.register(Organisation, OrganisationTranslationOptions)
translator.register(Resource, ResourceTranslationOptions)
translator.register(ReferralRoute, ReferralRouteTranslationOptions)
# History after translation, so the historical models have the per-language columns.
register(Organisation, excluded_fields=["content_hashes"])
register(Resource, excluded_fields=["search_document", "content_hashes"])
register(ReferralRoute, excluded_fields=["content_hashes"])
# Who changed a source's address or region, and when (the back office's history page).
register(Source, excluded_fields=["last_sync_report", "last_sync_error"])
