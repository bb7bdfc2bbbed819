from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from accounts.constants import Role
from config.admin import ReadOnlyAdmin, TranslationAdmin
from config.history import HistoryAdmin
from resources.constants import ReligiousContext
from resources.models import (
    Organisation,
    ProfessionalGroup,
    ReferralRoute,
    Resource,
    Source,
    SyncReview,
    Theme,
    region_editable_by,
)
from resources.services import (
    check_can_edit,
    organisation_save,
    professional_group_save,
    referral_route_save,
    resource_refresh_search_document,
    resource_save,
    theme_save,
)
from resources.sync import source_sync

PROVENANCE_FIELDS = (
    "remote_source", "remote_id", "remote_fetched_at", "remote_assured_date", "remote_removed_at",
)  # fmt: skip


class RegionScopedAdmin(HistoryAdmin, TranslationAdmin):
    """The region rule in the back office: a Coördinator sees national entries and those of
    their region, edits only their region's (national ones read-only) and never picks another
    region; Beheerder sees and edits everything. Saves go through the services, which check
    the same rule again."""

    # Addresses typed without a scheme become https:// (Django 6's default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    curation_fields = (
        "uuid",
        "last_checked_at",
        "last_checked_by",
        "link_checked_at",
        "link_ok",
        "link_error",
        "updated_at",
    )

    def _is_coordinator(self, request) -> bool:
        return request.user.role == Role.COORDINATOR

    def get_queryset(self, request):
        return super().get_queryset(request).admin_visible_to(request.user)

    def has_view_permission(self, request, obj=None):
        if (
            obj is not None
            and not self.model.objects.admin_visible_to(request.user).filter(pk=obj.pk).exists()
        ):
            return False
        return super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        if self._is_coordinator(request) and request.user.region is None:
            return False
        return super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        if obj is not None and not region_editable_by(request.user, obj.region_id):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not region_editable_by(request.user, obj.region_id):
            return False
        if obj is not None and getattr(obj, "remote_source_id", None):
            return False  # a source's entry is archived by the sync, never deleted here
        return super().has_delete_permission(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            check_can_edit(actor=request.user, region_id=obj.region_id)
        super().delete_queryset(request, queryset)

    def delete_model(self, request, obj):
        check_can_edit(actor=request.user, region_id=obj.region_id)
        super().delete_model(request, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj), *self.curation_fields]
        if self._is_coordinator(request):
            fields.append("region")  # forced to their own region in save_model
        if obj is not None and getattr(obj, "remote_source_id", None):
            # An entry from a source is read-only: the sync keeps it equal to the source.
            # Only its status may be changed (to hide it here).
            editable = {"status", "version"}
            names = [n for _name, options in self.get_fieldsets(request, obj)
                     for n in options["fields"]]  # fmt: skip
            fields += [n for n in names if n not in editable and n not in fields]
        return fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and getattr(obj, "remote_source_id", None):
            fieldsets.append((_("Bron"), {"fields": PROVENANCE_FIELDS}))
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        if not self._is_coordinator(request):
            return form_class
        region = request.user.region

        class CoordinatorForm(form_class):
            # The region is not a field for coordinators; set it before validation, so the
            # model's rules (a regional organisation's resources share its region) see it.
            def __init__(self, *args, **inner):
                super().__init__(*args, **inner)
                if self.instance.pk is None:
                    self.instance.region = region

        return CoordinatorForm

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if self._is_coordinator(request) and request.user.region is not None:
            initial["region"] = request.user.region.pk
        return initial

    def force_region(self, request, obj):
        if self._is_coordinator(request):
            if obj.pk is None or obj.region_id is None:
                obj.region = request.user.region
            if obj.region_id != getattr(request.user.region, "pk", None):
                raise PermissionDenied

    def scoped_choices(self, request, model):
        return model.objects.admin_visible_to(request.user)


@admin.register(Theme)
class ThemeAdmin(TranslationAdmin):
    list_display = ["name", "parent", "order", "resource_count"]
    list_filter = ["parent"]
    list_select_related = ["parent"]
    search_fields = ["name_nl", "name_en", "slug"]
    ordering = ["parent__order", "order"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(resource_count=Count("resources"))

    @admin.display(description=_("materialen"), ordering="resource_count")
    def resource_count(self, obj):
        return obj.resource_count

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj else {"slug": ("name_nl",)}

    def save_model(self, request, obj, form, change):
        theme_save(theme=obj)


@admin.register(ProfessionalGroup)
class ProfessionalGroupAdmin(TranslationAdmin):
    list_display = ["name", "order", "resource_count"]
    search_fields = ["name_nl", "name_en", "slug"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(resource_count=Count("resources"))

    @admin.display(description=_("materialen"), ordering="resource_count")
    def resource_count(self, obj):
        return obj.resource_count

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj else {"slug": ("name_nl",)}

    def save_model(self, request, obj, form, change):
        professional_group_save(group=obj)


@admin.register(Organisation)
class OrganisationAdmin(RegionScopedAdmin):
    list_display = [
        "name", "region", "status", "resource_count", "last_checked_at", "link_ok",
    ]  # fmt: skip
    list_filter = ["status", "region", "address_confidential", "link_ok"]
    list_select_related = ["region"]
    search_fields = ["name_nl", "name_en", "slug"]
    fieldsets = (
        (None, {"fields": ("name", "slug", "status", "region")}),
        (_("Beschrijving en contact"), {"fields": (
            "description", "website", "phone", "email", "chat_url",
            "visiting_address", "address_confidential",
        )}),
        (_("Controle"), {"fields": RegionScopedAdmin.curation_fields}),
    )  # fmt: skip

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(resource_count=Count("resources"))

    @admin.display(description=_("materialen"), ordering="resource_count")
    def resource_count(self, obj):
        return obj.resource_count

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj else {"slug": ("name_nl",)}

    def save_model(self, request, obj, form, change):
        self.force_region(request, obj)
        organisation_save(organisation=obj, actor=request.user)


def https_by_default(db_field, **kwargs):
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class ResourceAdminForm(forms.ModelForm):
    religious_context = forms.MultipleChoiceField(
        label=_("religieuze context"),
        choices=ReligiousContext.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Alleen waar de bron dat zegt."),
    )

    class Meta:
        model = Resource
        fields = [
            "title", "slug", "organisation", "kind", "status", "region", "description", "url",
            "alert", "parent_text", "themes", "audiences", "professional_groups", "languages",
            "religious_context", "cost", "anonymous_contact", "source",
        ]  # fmt: skip
        formfield_callback = https_by_default
        widgets = {
            "themes": forms.CheckboxSelectMultiple,
            "audiences": forms.CheckboxSelectMultiple,
            "professional_groups": forms.CheckboxSelectMultiple,
        }


@admin.register(Resource)
class ResourceAdmin(RegionScopedAdmin):
    form = ResourceAdminForm
    list_display = ["title", "organisation", "kind", "region", "status", "last_checked_at"]
    list_filter = ["status", "kind", "region", "cost", "themes", "link_ok"]
    list_select_related = ["organisation", "region"]
    search_fields = ["title_nl", "title_en", "slug", "organisation__name_nl"]
    filter_horizontal = ["languages"]
    fieldsets = (
        (None, {"fields": ("title", "slug", "organisation", "kind", "status", "region")}),
        (_("Inhoud"), {"fields": ("description", "url", "alert")}),
        (_("Folder voor ouders"), {"fields": ("parent_text",)}),
        (_("Indeling"), {"fields": (
            "themes", "audiences", "professional_groups", "languages", "religious_context",
            "cost", "anonymous_contact", "source",
        )}),
        (_("Controle"), {"fields": RegionScopedAdmin.curation_fields}),
    )  # fmt: skip

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj else {"slug": ("title_nl",)}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organisation":
            kwargs["queryset"] = self.scoped_choices(request, Organisation)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        self.force_region(request, obj)
        resource_save(resource=obj, actor=request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The themes are saved only now; search follows them.
        resource_refresh_search_document(resource=form.instance)


@admin.register(ReferralRoute)
class ReferralRouteAdmin(RegionScopedAdmin):
    list_display = ["situation", "organisation", "resource", "urgency", "region", "order"]
    list_filter = ["situation", "urgency", "region"]
    list_select_related = ["organisation", "resource", "region"]
    search_fields = ["organisation__name_nl", "resource__title_nl", "contact"]
    curation_fields = ("uuid", "updated_at")
    fieldsets = (
        (None, {"fields": ("situation", "slug", "organisation", "resource", "region")}),
        (_("Contact"), {"fields": ("channel", "contact", "urgency", "conditions", "order")}),
        (_("Folder voor ouders"), {"fields": ("parent_text",)}),
        (_("Gegevens"), {"fields": ("uuid", "updated_at")}),
    )

    def get_prepopulated_fields(self, request, obj=None):
        return {}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organisation":
            kwargs["queryset"] = self.scoped_choices(request, Organisation)
        if db_field.name == "resource":
            kwargs["queryset"] = self.scoped_choices(request, Resource).select_related(
                "organisation"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        self.force_region(request, obj)
        referral_route_save(route=obj, actor=request.user)


@admin.register(Source)
class SourceAdmin(HistoryAdmin):
    """Other instances' open maps (Beheerder): add the address, sync now, see the outcome."""

    list_display = ["name", "base_url", "region", "active", "last_sync_at", "last_sync_status"]
    list_filter = ["active", "last_sync_status", "region"]
    list_select_related = ["region"]
    search_fields = ["name", "base_url"]
    actions = ["sync_now"]
    readonly_fields = [
        "last_sync_at", "last_sync_status", "last_sync_error", "last_success_at", "report",
    ]  # fmt: skip
    fieldsets = (
        (None, {"fields": ("name", "base_url", "region", "active")}),
        (_("Laatste synchronisatie"), {"fields": (
            "last_sync_at", "last_sync_status", "last_sync_error", "last_success_at", "report",
        )}),
    )  # fmt: skip
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.display(description=_("verslag"))
    def report(self, obj):
        report = obj.last_sync_report or {}
        if not report:
            return "—"
        lines = [
            _(
                "%(items)s items: %(created)s nieuw, %(updated)s gewijzigd, %(unchanged)s "
                "ongewijzigd, %(archived)s gearchiveerd, %(reviews)s te beoordelen."
            )
            % {
                k: report.get(k, 0)
                for k in (
                    "items",
                    "created",
                    "updated",
                    "unchanged",
                    "archived",
                    "reviews",
                )
            }  # fmt: skip
        ]
        lines += [
            f"{w.get('name', '')} ({w.get('id', '')}): {w.get('message', '')}"
            for w in report.get("warnings", [])
        ]
        return "\n".join(lines)

    @admin.action(description=_("Nu synchroniseren"), permissions=["change"])
    def sync_now(self, request, queryset):
        for source in queryset:
            result = source_sync(source=source)
            if result.ok:
                self.message_user(
                    request,
                    _("%(source)s: gesynchroniseerd (%(created)s nieuw, %(updated)s gewijzigd, "
                      "%(archived)s gearchiveerd, %(reviews)s te beoordelen).")
                    % {"source": source, **result.report},
                    messages.SUCCESS,
                )  # fmt: skip
            else:
                self.message_user(
                    request,
                    _("%(source)s: niet gesynchroniseerd, er is niets veranderd. %(error)s")
                    % {"source": source, "error": result.error},
                    messages.ERROR,
                )


@admin.register(SyncReview)
class SyncReviewAdmin(ReadOnlyAdmin):
    """Read-only: who chose what for which remote entry (the choice is made on the review
    list of the sources, /sociale-kaart/bronnen/beoordelen/)."""

    list_display = ["remote", "local", "source", "kind", "status", "decision", "resolved_by",
                    "resolved_at"]  # fmt: skip
    list_filter = ["status", "decision", "source"]
    list_select_related = ["remote", "local", "source", "resolved_by"]
