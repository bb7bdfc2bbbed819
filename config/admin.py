"""The back office's shared pieces: the admin site and the admin classes for translated
content that every app's admin.py uses. Templates in templates/admin/, styles and the
accessibility shim in static/admin-gw/."""

from django.conf import settings
from django.contrib import admin
from django.utils.text import format_lazy
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from modeltranslation import admin as mt_admin
from modeltranslation.translator import translator
from modeltranslation.utils import get_language_bidi


class AdminSite(admin.AdminSite):
    """Django's admin site whose "Website bekijken" leads to the user's own start page on
    the site, not to `/` (which sends a Beheerder straight back to the back office)."""

    site_header = _("Gesprekswijzer — beheer")
    site_title = _("Gesprekswijzer beheer")
    index_title = _("Beheer")

    def each_context(self, request):
        from accounts.selectors import user_site_url

        context = super().each_context(request)
        if request.user.is_authenticated:
            context["site_url"] = user_site_url(user=request.user)
        return context


def language_name(code: str):
    """The language's name in the language of the page: "Engels" in Dutch, "English" in
    English (Django's own list, so a language added to the content later is named too)."""
    configured = dict(settings.LANGUAGES)
    if code in configured:
        return configured[code]
    try:
        return get_language_info(code)["name_translated"]
    except KeyError:
        return code


def name_translation_fields() -> None:
    """Every translated column is named after its field and language, "titel (Engels)", not
    modeltranslation's "titel [en]": labels of forms and read-only views, history and errors
    all use it. (Migrations keep the field's own name: modeltranslation deconstructs that.)"""
    for model in translator.get_registered_models():
        for fields in translator.get_options_for_model(model).all_fields.values():
            for field in fields:
                field.verbose_name = format_lazy(
                    "{} ({})", field.translated_field.verbose_name, language_name(field.language)
                )


class LanguageFieldsMixin:
    """All languages of a translated field are shown one below the other, each labelled with
    its language ("Titel (Engels)", see name_translation_fields) and marked with `lang` (and
    `dir` for right-to-left), so a
    screen reader reads English text in English and the Dutch source stays in view while
    translating. This replaces django-modeltranslation's jQuery UI tabs, which nest links in
    tabs, hang an unlabelled language switch on the page heading and hide the source text."""

    def patch_translation_field(self, db_field, field, request, **kwargs):
        super().patch_translation_field(db_field, field, request, **kwargs)
        if getattr(db_field, "translated_field", None) is None:
            return
        code = db_field.language
        widget = getattr(field.widget, "widget", field.widget)  # inside a wrapper
        widget.attrs["lang"] = code
        if get_language_bidi(code):
            widget.attrs["dir"] = "rtl"


class TranslationAdmin(LanguageFieldsMixin, mt_admin.TranslationAdmin):
    """The admin for a model with translated fields (instead of TabbedTranslationAdmin)."""


class TranslationStackedInline(LanguageFieldsMixin, mt_admin.TranslationStackedInline):
    pass


class TranslationTabularInline(LanguageFieldsMixin, mt_admin.TranslationTabularInline):
    pass


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record the back office shows and never changes (append-only logs, snapshots, choices
    made elsewhere): no add, change or delete for anyone, superusers included."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
