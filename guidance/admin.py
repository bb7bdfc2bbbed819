import re

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.admin import ReadOnlyAdmin, TranslationAdmin, TranslationTabularInline
from config.concurrency import VersionedInlineMixin
from config.history import HistoryAdmin
from glossary.selectors import terms_by_slug
from guidance.constants import GuideKind
from guidance.forms import PublishForm, StepMoveForm
from guidance.models import Guide, GuideVersion, ScreeningQuestion, Step
from guidance.selectors import guide_step_rows, publish_review
from guidance.services import guide_move_step, guide_publish, step_spec
from guidance.snapshot import GUIDE_SOURCE, HONOUR_SOURCE

EDITOR_CSS = {"all": ["guidance/admin-editor.css"]}
# The guide page lists at most this many steps at a time, so it stays small (< 100 KB) for a
# guide of any length; a longer guide's list has pages (?stappen=2).
STEPS_PER_PAGE = 80


def _steps_page_query(position: int) -> str:
    page = (position - 1) // STEPS_PER_PAGE + 1
    return f"?stappen={page}" if page > 1 else ""


class ScreeningQuestionInline(VersionedInlineMixin, TranslationTabularInline):
    model = ScreeningQuestion
    extra = 0
    ordering = ["order", "pk"]
    fields = ["order", "key", "text", "help_text", "is_honour_signal"]


def _label(model, name):
    return model._meta.get_field(name).verbose_name


# What the publish page calls each field of a snapshot it compares.
DIFF_LABELS = {
    **{name: _label(Guide, name) for name in ("situation", "introduction", "honour_branch")},
    **{name: _label(ScreeningQuestion, name) for name in ("text", "help_text", "is_honour_signal")},
    **{
        name: _label(Step, name)
        for name in (
            "title", "body", "kind", "branch", "involves_parent_contact",
            "may_be_not_applicable", "checklist", "dos", "donts", "terms", "routes", "resources",
        )
    },
}  # fmt: skip


@admin.register(Guide)
class GuideAdmin(HistoryAdmin, TranslationAdmin):
    """Beheerder edits the draft; "Publiceer" shows what changed against the newest
    published version and freezes the draft into a new version with a note. Readers and
    cases only ever see published versions.

    The page lists the guide's steps (each is edited on its own page, StepAdmin), so it
    stays small however long the guide is."""

    list_display = ["title", "kind", "step_count", "version_count", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["title_nl", "title_en", "slug"]
    readonly_fields = ["published_versions", "updated_at"]
    actions = ["publish"]
    fieldsets = (
        (None, {"fields": ("title", "slug", "kind", "order", "honour_branch")}),
        (gettext_lazy("Tekst"), {"fields": ("situation", "introduction")}),
        (gettext_lazy("Publicatie"), {"fields": ("published_versions", "updated_at")}),
    )

    class Media:
        css = EDITOR_CSS

    def get_inlines(self, request, obj):
        if obj is not None and obj.kind == GuideKind.HONOUR_BRANCH:
            return [ScreeningQuestionInline]
        return []

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                step_total=Count("steps", distinct=True),
                version_total=Count("versions", distinct=True),
            )
        )

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/stappen/verplaatsen/",
                self.admin_site.admin_view(self.move_step_view),
                name="{}_{}_move_step".format(*info),
            ),
            path(
                "<path:object_id>/publiceren/",
                self.admin_site.admin_view(self.publish_view),
                name="{}_{}_publish".format(*info),
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        guide = self.get_object(request, unquote(object_id)) if object_id else None
        if guide is not None and self.has_view_or_change_permission(request, guide):
            languages = [code for code, _name in settings.LANGUAGES]
            rows = guide_step_rows(guide=guide, languages=languages)
            steps_page = Paginator(rows, STEPS_PER_PAGE).get_page(request.GET.get("stappen"))
            extra_context = {
                **(extra_context or {}),
                "steps": steps_page,
                "step_total": len(rows),
                "can_edit_steps": request.user.has_perm("guidance.change_step"),
                "can_add_steps": request.user.has_perm("guidance.add_step"),
                "can_publish": guide.kind == GuideKind.GUIDE
                and self.has_publish_permission(request),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=gettext_lazy("stappen"), ordering="step_total")
    def step_count(self, obj):
        return obj.step_total

    @admin.display(description=gettext_lazy("versies"), ordering="version_total")
    def version_count(self, obj):
        return obj.version_total

    @admin.display(description=gettext_lazy("gepubliceerde versies"))
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
            (
                (version.get_absolute_url(), version.number)
                for version in obj.versions.defer("snapshot")
            ),
        )
        return format_html("{} · {}: {}", preview, _("versies"), versions or "—")

    def _guide_or_404(self, request, object_id) -> Guide:
        guide = self.get_object(request, unquote(object_id))
        if guide is None:
            raise Http404
        return guide

    def move_step_view(self, request, object_id):
        """The "omhoog"/"omlaag" buttons of the guide page: plain form posts, so the order
        can be changed with the keyboard and without JavaScript."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        guide = self._guide_or_404(request, object_id)
        if not (
            self.has_change_permission(request, guide)
            and request.user.has_perm("guidance.change_step")
        ):
            raise PermissionDenied
        change_url = reverse("admin:guidance_guide_change", args=[guide.pk])
        form = StepMoveForm(request.POST, guide=guide)
        if not form.is_valid():
            for error in form.errors.get("__all__", []) or [_("Deze stap bestaat niet meer.")]:
                self.message_user(request, error, messages.ERROR)
            return HttpResponseRedirect(change_url + "#stappen")
        step = form.cleaned_data["step"]
        moved = guide_move_step(step=step, up=form.cleaned_data["up"])
        order = list(guide.steps.order_by("order", "pk").values_list("pk", flat=True))
        position = order.index(step.pk) + 1
        if moved:
            self.log_change(request, step, [{"changed": {"fields": ["volgorde"]}}])
            self.message_user(
                request,
                _("‘%(step)s’ staat nu op plaats %(position)s.")
                % {"step": step, "position": position},
                messages.SUCCESS,
            )
        return HttpResponseRedirect(f"{change_url}{_steps_page_query(position)}#stap-{step.pk}")

    def publish_view(self, request, object_id):
        """ "Publiceer": the draft against the newest published version, then a new version
        with a change note (guidance.services.guide_publish keeps the rules)."""
        guide = self._guide_or_404(request, object_id)
        if not self.has_publish_permission(request):
            raise PermissionDenied
        if guide.kind != GuideKind.GUIDE:
            raise Http404
        change_url = reverse("admin:guidance_guide_change", args=[guide.pk])
        review = publish_review(guide=guide)
        form = PublishForm(initial={"reviewed": review.token})
        if request.method == "POST":
            form = PublishForm(request.POST)
            if form.is_valid() and not review.error:
                try:
                    version = guide_publish(
                        guide=guide,
                        note=form.cleaned_data["note"],
                        actor=request.user,
                        reviewed=form.cleaned_data["reviewed"],
                    )
                except ValidationError as error:
                    # Show the comparison as it is now, ready to be published after a look.
                    data = request.POST.copy()
                    data["reviewed"] = review.token
                    form = PublishForm(data)
                    form.is_valid()
                    form.add_error(None, error)
                else:
                    if review.base is not None and version.pk == review.base.pk:
                        message = _(
                            "Er was niets te publiceren: het concept is gelijk aan "
                            "versie %(number)s."
                        )
                    else:
                        message = _("‘%(guide)s’: versie %(number)s is gepubliceerd.")
                    self.message_user(
                        request,
                        message % {"guide": guide, "number": version.number},
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Publiceer ‘%(guide)s’") % {"guide": guide},
            "original": guide,
            "review": review,
            "diff": review.diff,
            "form": form,
            "next_number": (review.base.number + 1) if review.base else 1,
            "field_labels": DIFF_LABELS,
            "language_names": dict(settings.LANGUAGES),
            "media": self.media,
        }
        return TemplateResponse(request, "admin/guidance/guide/publish.html", context)

    @admin.action(description=gettext_lazy("Publiceer…"), permissions=["publish"])
    def publish(self, request, queryset):
        """From the list: publishing one guide goes through its comparison page first."""
        guides = list(queryset.filter(kind=GuideKind.GUIDE)[:2])
        if len(guides) != 1:
            self.message_user(
                request,
                _("Kies één leidraad: u ziet eerst wat er verandert en schrijft een notitie."),
                messages.ERROR,
            )
            return None
        return HttpResponseRedirect(reverse("admin:guidance_guide_publish", args=[guides[0].pk]))

    def has_publish_permission(self, request):
        return request.user.has_perm("guidance.publish_guide")


class _PreviewOnly:
    """The form of a "Voorbeeld" post: checked as for saving, but never valid, so the admin
    shows the form again with what was typed (nothing is saved) and the preview of it."""

    previewed = False

    def is_valid(self):
        self.previewed = super().is_valid()
        return False


GLOSSARY_LINK = re.compile(r'<a href="[^"]*/([^/"]+)/" class="glossary-link">(.*?)</a>')


def step_preview(step: Step, terms) -> list[dict]:
    """The step as readers will see it, per language: rendered through the reader pages'
    own template (the one sanitiser, the glossary linker), with the glossary terms its text
    links to listed. One query for the linked terms."""
    source = HONOUR_SOURCE if step.guide.kind == GuideKind.HONOUR_BRANCH else GUIDE_SOURCE
    spec = step_spec(step, source=source, links=False)
    chosen = {term.slug: term for term in terms}
    previews = []
    for code, name in settings.LANGUAGES:
        with translation.override(code):
            html = render_to_string(
                "guidance/_step.html",
                {
                    "step": {**spec, "key": f"voorbeeld-{code}", "terms": sorted(chosen)},
                    "terms": chosen,
                    "referrals": {},
                    "heading_level": 4,
                    "sub_level": 5,
                },
            )
        # The linker links a term once per text (body, each checklist item): list it once.
        links: dict[str, str] = {}
        for slug, text in GLOSSARY_LINK.findall(html):
            links.setdefault(slug, text)
        previews.append({"code": code, "name": name, "html": html, "links": links})
    linked = terms_by_slug(slug for preview in previews for slug in preview["links"])
    for preview in previews:
        preview["links"] = [
            {"text": text, "term": linked[slug]}
            for slug, text in preview["links"].items()
            if slug in linked
        ]
    return previews


@admin.register(Step)
class StepAdmin(HistoryAdmin, TranslationAdmin):
    """One step of a guide on its own page: the admin's own change view (history,
    permissions, and whatever a shared base adds), with a server-rendered preview."""

    list_display = ["title", "guide", "order", "kind", "branch"]
    list_filter = ["guide", "kind", "branch"]
    list_select_related = ["guide"]
    search_fields = ["title_nl", "title_en", "key"]
    autocomplete_fields = ["terms", "routes", "resources"]
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "guide",
                    ("order", "key"),
                    "title",
                    ("kind", "branch"),
                    ("involves_parent_contact", "may_be_not_applicable"),
                )
            },
        ),
        (gettext_lazy("Tekst"), {"fields": ("body", "checklist", "dos", "donts")}),
        (
            gettext_lazy("Begrippen, routes en materiaal"),
            {"fields": ("terms", "routes", "resources")},
        ),
    )

    class Media:
        css = EDITOR_CSS

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("guide")

    def get_readonly_fields(self, request, obj=None):
        # A step stays with its guide: cases and published versions know it by guide and key.
        return ["guide"] if obj is not None else []

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        guide_id = initial.get("guide")
        if guide_id and str(guide_id).isdigit():
            last = Step.objects.filter(guide_id=guide_id).aggregate(last=Max("order"))["last"]
            initial.setdefault("order", (last or 0) + 1)
        return initial

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if request.method == "POST" and "_preview" in request.POST:
            return type(form.__name__, (_PreviewOnly, form), {})
        return form

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        if getattr(form, "previewed", False):
            context["preview"] = step_preview(form.instance, form.cleaned_data.get("terms") or [])
            context["preview_unsaved"] = True
        elif obj is not None and request.method == "GET":
            context["preview"] = step_preview(obj, obj.terms.all())
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _guide_url(self, step: Step) -> str:
        """The guide page, on the page of its step list that shows this step."""
        before = Step.objects.filter(guide_id=step.guide_id).filter(
            Q(order__lt=step.order) | Q(order=step.order, pk__lt=step.pk)
        )
        url = reverse("admin:guidance_guide_change", args=[step.guide_id])
        return f"{url}{_steps_page_query(before.count() + 1)}#stap-{step.pk}"

    def response_add(self, request, obj, post_url_continue=None):
        if "_save" in request.POST and not self.is_popup(request):
            super().response_add(request, obj, post_url_continue)  # its message
            return HttpResponseRedirect(self._guide_url(obj))
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_save" in request.POST and not self.is_popup(request):
            super().response_change(request, obj)  # its message
            return HttpResponseRedirect(self._guide_url(obj))
        return super().response_change(request, obj)

    def response_delete(self, request, obj_display, obj_id):
        response = super().response_delete(request, obj_display, obj_id)
        guide_id = getattr(request, "_deleted_step_guide", None)
        if guide_id and not self.is_popup(request):
            return HttpResponseRedirect(
                reverse("admin:guidance_guide_change", args=[guide_id]) + "#stappen"
            )
        return response

    def delete_model(self, request, obj):
        request._deleted_step_guide = obj.guide_id
        super().delete_model(request, obj)

    @staticmethod
    def is_popup(request):
        return "_popup" in request.POST or "_popup" in request.GET


@admin.register(GuideVersion)
class GuideVersionAdmin(ReadOnlyAdmin):
    """Published versions are read-only, for everyone."""

    list_display = ["guide", "number", "note", "published_at", "published_by"]
    list_filter = ["guide"]
    list_select_related = ["guide", "published_by"]
    fields = ["guide", "number", "note", "published_at", "published_by"]
    readonly_fields = fields

    def get_queryset(self, request):
        # The list shows no content: the snapshot (checked when read) stays in the database.
        return super().get_queryset(request).defer("snapshot")
