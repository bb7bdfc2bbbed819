from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from config.admin import TranslationAdmin
from config.history import HistoryAdmin
from glossary.constants import LabelKind
from glossary.models import Label, Term
from glossary.services import label_clashes, label_index_clear, term_save


class LabelInlineFormSet(forms.BaseInlineFormSet):
    def get_queryset(self):
        # Preferred labels are edited as the term's own field, per language tab.
        return super().get_queryset().exclude(kind=LabelKind.PREFERRED)

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        rows = [
            (form.cleaned_data["language"], form.cleaned_data["text"])
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        term = self.instance
        prefs = [
            (code, getattr(term, f"pref_label_{code}") or "")
            for code, _ in settings.LANGUAGES
            if getattr(term, f"pref_label_{code}", "")
        ]
        problems = label_clashes(term=term, labels=prefs + rows)
        if problems:
            raise ValidationError(problems)


class LabelInlineForm(forms.ModelForm):
    language = forms.ChoiceField(label=_("taal"), choices=settings.LANGUAGES)
    kind = forms.ChoiceField(
        label=_("soort"),
        choices=[(k.value, k.label) for k in (LabelKind.ALTERNATIVE, LabelKind.HIDDEN)],
    )

    class Meta:
        model = Label
        fields = ["language", "kind", "text"]


class LabelInline(admin.TabularInline):
    model = Label
    form = LabelInlineForm
    formset = LabelInlineFormSet
    extra = 1
    verbose_name = _("synoniem of verborgen zoekterm")
    verbose_name_plural = _(
        "synoniemen en verborgen zoektermen (verborgen: wel vindbaar, nooit getoond)"
    )


class TermAdminForm(forms.ModelForm):
    class Meta:
        model = Term
        # The admin's fieldsets pick the per-language columns of these fields.
        fields = [
            "pref_label", "slug", "category", "status", "definition", "note",
            "parent_phrasing", "broader", "related", "source",
        ]  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        # The preferred labels may not belong to another term either; a clash with the
        # inline rows of this form is checked by the formset.
        prefs = [
            (code, cleaned.get(f"pref_label_{code}") or "")
            for code, _ in settings.LANGUAGES
            if cleaned.get(f"pref_label_{code}")
        ]
        problems = label_clashes(term=self.instance, labels=prefs)
        if problems:
            raise ValidationError(problems)
        return cleaned


@admin.register(Term)
class TermAdmin(HistoryAdmin, TranslationAdmin):
    """Beheerder edits; other roles with view permission see the glossary read-only."""

    form = TermAdminForm
    inlines = [LabelInline]
    list_display = ["pref_label", "category", "status", "label_count", "updated_at"]
    list_filter = ["category", "status"]
    search_fields = ["pref_label_nl", "pref_label_en", "labels__text", "slug"]
    autocomplete_fields = ["related", "broader"]
    readonly_fields = ["updated_at"]
    fieldsets = (
        (None, {"fields": ("pref_label", "slug", "category", "status")}),
        (_("Tekst"), {"fields": ("definition", "note", "parent_phrasing")}),
        (_("Samenhang en bron"), {"fields": ("broader", "related", "source", "updated_at")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(label_count=Count("labels"))

    @admin.display(description=_("labels"), ordering="label_count")
    def label_count(self, obj):
        return obj.label_count

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj else {"slug": ("pref_label_nl",)}

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Mirror the preferred labels, refresh the search text and the link index.
        term_save(term=form.instance, save_term=False)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        label_index_clear()
