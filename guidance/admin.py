from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from config.admin import TranslationAdmin, TranslationStackedInline, TranslationTabularInline
from config.history import HistoryAdmin
from guidance.constants import GuideKind
from guidance.models import Guide, GuideVersion, ScreeningQuestion, Step
from guidance.services import guide_publish


class StepInline(TranslationStackedInline):
    model = Step
    extra = 0
    ordering = ["order", "pk"]
    autocomplete_fields = ["terms", "routes", "resources"]
    fields = [
        ("order", "key"),
        "title",
        ("kind", "branch"),
        ("involves_parent_contact", "may_be_not_applicable"),
        "body",
        "checklist",
        "dos",
        "donts",
        "terms",
        "routes",
        "resources",
    ]


class ScreeningQuestionInline(TranslationTabularInline):
    model = ScreeningQuestion
    extra = 0
    ordering = ["order", "pk"]
    fields = ["order", "key", "text", "help_text", "is_honour_signal"]


@admin.register(Guide)
class GuideAdmin(HistoryAdmin, TranslationAdmin):
    """Beheerder edits the draft; "publiceren" freezes it into a new version. Readers and
    cases only ever see published versions."""

    list_display = ["title", "kind", "step_count", "version_count", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["title_nl", "title_en", "slug"]
    readonly_fields = ["published_versions", "updated_at"]
    actions = ["publish"]
    fieldsets = (
        (None, {"fields": ("title", "slug", "kind", "order", "honour_branch")}),
        (_("Tekst"), {"fields": ("situation", "introduction")}),
        (_("Publicatie"), {"fields": ("published_versions", "updated_at")}),
    )

    def get_inlines(self, request, obj):
        if obj is not None and obj.kind == GuideKind.HONOUR_BRANCH:
            return [StepInline, ScreeningQuestionInline]
        return [StepInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                step_total=Count("steps", distinct=True),
                version_total=Count("versions", distinct=True),
            )
        )

    @admin.display(description=_("stappen"), ordering="step_total")
    def step_count(self, obj):
        return obj.step_total

    @admin.display(description=_("versies"), ordering="version_total")
    def version_count(self, obj):
        return obj.version_total

    @admin.display(description=_("gepubliceerde versies"))
    def published_versions(self, obj):
        if obj.pk is None or obj.kind != GuideKind.GUIDE:
            return "—"
        preview = format_html(
            '<a href="{}">{}</a>',
            reverse("guidance:preview", kwargs={"slug": obj.slug}),
            _("Concept bekijken"),
        )
        versions = format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            ((version.get_absolute_url(), version.number) for version in obj.versions.all()),
        )
        return format_html("{} · {}: {}", preview, _("versies"), versions or "—")

    @admin.action(description=_("Publiceer de geselecteerde leidraden"), permissions=["publish"])
    def publish(self, request, queryset):
        for guide in queryset:
            try:
                version = guide_publish(guide=guide, actor=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{guide}: {'; '.join(exc.messages)}", messages.ERROR)
                continue
            self.message_user(
                request,
                _("‘%(guide)s’: versie %(number)s is gepubliceerd.")
                % {"guide": guide, "number": version.number},
                messages.SUCCESS,
            )

    def has_publish_permission(self, request):
        return request.user.has_perm("guidance.publish_guide")


@admin.register(GuideVersion)
class GuideVersionAdmin(admin.ModelAdmin):
    """Published versions are read-only, for everyone."""

    list_display = ["guide", "number", "published_at", "published_by"]
    list_filter = ["guide"]
    list_select_related = ["guide", "published_by"]
    fields = ["guide", "number", "published_at", "published_by"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
