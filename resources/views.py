import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.constants import Role
from accounts.net import client_ip
from config.concurrency import VersionConflict
from config.pdf import render_pdf
from resources import csv_map
from resources.caching import map_version, scope_key, vocabulary
from resources.forms import (
    HandoutLanguageForm,
    HandoutPickForm,
    MapFilterForm,
    MapImportForm,
    SourceReviewForm,
)
from resources.handout import handout_clear, handout_ids, handout_update, text_direction
from resources.models import MapImport, Organisation, Resource, SyncReview
from resources.selectors import (
    MapFilters,
    handout,
    handout_pick_check,
    map_export_resources,
    map_page,
    map_region_choices,
    organisation_detail,
    resource_detail,
    review_list,
    routes_for_resource,
    source_review_count,
    source_review_list,
    theme_tree,
)
from resources.services import (
    ImportRefused,
    entry_mark_checked,
    map_import_apply,
    map_import_get,
    map_import_plan,
    map_import_region,
    map_import_store,
)
from resources.sync import review_resolve

CURATOR_ROLES = (Role.COORDINATOR, Role.BEHEERDER)


def _is_htmx(request) -> bool:
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _map_filters(request, vocab):
    """The map's filters from the query string (the map page and its CSV export alike)."""
    region_choices = map_region_choices(user=request.user, vocab=vocab)
    tree = theme_tree(vocab)
    form = MapFilterForm(
        request.GET or None,
        theme_slugs=[theme.slug for main, children in tree for theme in (main, *children)],
        group_slugs=[group.slug for group in vocab.groups],
        region_choices=region_choices,
    )
    filters, page_number = MapFilters(), 1
    if form.is_bound and form.is_valid():
        filters = form.filters()
        page_number = form.cleaned_data["pagina"] or 1
    return form, filters, page_number, region_choices


@require_safe
def resource_map(request):
    """The social map: facets with counts, search, results grouped by theme (or ranked when
    searching). The state lives in the URL; htmx swaps only the results region."""
    vocab = vocabulary()
    form, filters, page_number, region_choices = _map_filters(request, vocab)
    language = (get_language() or "nl")[:2]
    result = map_page(
        user=request.user,
        filters=filters,
        page_number=page_number,
        language=language,
        region_choices=region_choices,
        vocab=vocab,
    )
    query_without_page = request.GET.copy()
    query_without_page.pop("pagina", None)
    context = {
        "form": form,
        "filters": filters,
        "result": result,
        "chosen": set(handout_ids(request.session)),
        "handout_count": len(handout_ids(request.session)),
        "query_string": query_without_page.urlencode(),
        "current_url": request.get_full_path(),
        "can_export": request.user.role in CURATOR_ROLES,
        # The cards' cache key (templates/resources/_resource_card.html).
        "card_version": f"{map_version()}-{language}",
    }
    template = "resources/_map_results.html" if _is_htmx(request) else "resources/map.html"
    response = render(request, template, context)
    # The same URL answers a page or a fragment: never let a cache mix them up.
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_safe
def resource_page(request, slug):
    try:
        resource = resource_detail(user=request.user, slug=slug)
    except Resource.DoesNotExist as exc:
        raise Http404 from exc
    return render(
        request,
        "resources/resource_detail.html",
        {
            "resource": resource,
            "routes": routes_for_resource(user=request.user, resource=resource),
            "chosen": set(handout_ids(request.session)),
            "handout_count": len(handout_ids(request.session)),
            "current_url": request.get_full_path(),
            "can_edit": request.user.is_staff
            and Resource.objects.editable_by(request.user).filter(pk=resource.pk).exists(),
        },
    )


@require_safe
def organisation_page(request, slug):
    try:
        organisation = organisation_detail(user=request.user, slug=slug)
    except Organisation.DoesNotExist as exc:
        raise Http404 from exc
    language = (get_language() or "nl")[:2]
    context = {
        "organisation": organisation,
        # The key of its kept materials and routes: what the user may see of them changes
        # with the content, the scope and the language (the template's cache block).
        "lists_key": f"{map_version()}-{scope_key(request.user)}-{organisation.pk}-{language}",
    }
    return render(request, "resources/organisation_detail.html", context)


@require_POST
def handout_pick(request):
    """Tick or untick resources for the parent handout (session, ids only). Material that may
    not go into a handout is refused with the reason."""
    form = HandoutPickForm(request.POST)
    check = handout_pick_check(user=request.user, ids=form.chosen_ids)
    ids = handout_update(
        session=request.session, shown=form.shown_ids, chosen=form.chosen_ids, allowed=check.allowed
    )
    refusals = [
        _("‘%(title)s’ kan niet in de folder voor ouders: %(reason)s.")
        % {"title": resource.title, "reason": reason}
        for resource, reason in check.refused
    ]
    if _is_htmx(request):
        return render(
            request,
            "resources/_handout_status.html",
            {"handout_count": len(ids), "refusals": refusals},
        )
    for refusal in refusals:
        messages.error(request, refusal)
    messages.success(
        request,
        ngettext(
            "De folder bevat nu %(count)d materiaal.",
            "De folder bevat nu %(count)d materialen.",
            len(ids),
        )
        % {"count": len(ids)},
    )
    return redirect(_safe_next(request, reverse("resources:map")))


@require_POST
def handout_reset(request):
    handout_clear(session=request.session)
    messages.success(request, _("De folder is leeggemaakt."))
    return redirect("resources:handout")


def _handout_context(request):
    form = HandoutLanguageForm(request.GET or None)
    language = form.language()
    sheet = handout(user=request.user, ids=handout_ids(request.session), language=language)
    return {
        "form": form,
        "handout_language": language,
        "handout_dir": text_direction(language),
        "items": sheet.items,
        "routes": sheet.routes,
        "handout_count": len(sheet.items),
    }


@require_safe
def handout_page(request):
    """The handout being put together: what is in it, the language, print and PDF."""
    context = _handout_context(request)
    context["current_url"] = request.get_full_path()
    return render(request, "resources/handout.html", context)


def _language_refused(request, context):
    """Print and PDF only in a language the handout is written in; otherwise back to the
    handout page, which says why."""
    if context["form"].errors:
        return redirect(f"{reverse('resources:handout')}?{request.GET.urlencode()}")
    return None


@require_safe
def handout_print(request):
    """The handout alone, as a printable page in the parents' language."""
    context = _handout_context(request)
    return _language_refused(request, context) or render(
        request, "resources/handout_print.html", context
    )


@require_safe
def handout_pdf(request):
    context = _handout_context(request)
    if refused := _language_refused(request, context):
        return refused
    html = render_to_string("resources/handout_print.html", {**context, "pdf": True}, request)
    response = HttpResponse(
        render_pdf(html, stylesheets=("css/handout.css",)), content_type="application/pdf"
    )
    name = "folder-voor-ouders" if context["handout_language"] == "nl" else "handout-for-parents"
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


def _require_curator(request):
    if request.user.role not in CURATOR_ROLES:
        raise PermissionDenied


@require_safe
def review_page(request):
    """The coordinator's "te controleren" list (Beheerder: national and every region)."""
    _require_curator(request)
    organisations, resources = review_list(user=request.user)
    return render(
        request,
        "resources/review_list.html",
        {
            "sections": [
                (_("Organisaties"), "organisatie", organisations),
                (_("Materiaal"), "materiaal", resources),
            ],
            "source_review_count": source_review_count(user=request.user),
        },
    )


@require_POST
def mark_checked(request, kind, slug):
    """One click: "vandaag gecontroleerd"."""
    _require_curator(request)
    model = {"organisatie": Organisation, "materiaal": Resource}.get(kind)
    if model is None:
        raise Http404
    entry = get_object_or_404(model.objects.editable_by(request.user), slug=slug)
    entry_mark_checked(entry=entry, actor=request.user)
    messages.success(request, _("‘%(name)s’ is vandaag gecontroleerd.") % {"name": entry})
    return redirect(_safe_next(request, reverse("resources:review")))


def _source_reviews(request, *, status=200, error=""):
    return render(
        request,
        "resources/source_reviews.html",
        {"reviews": source_review_list(user=request.user), "error": error},
        status=status,
    )


@require_safe
def source_reviews_page(request):
    """Remote entries that touch one of the region's own: keep local, take remote, or link
    both (Coördinator: own region; Beheerder: all)."""
    _require_curator(request)
    return _source_reviews(request)


@require_POST
def source_review_decide(request, pk):
    _require_curator(request)
    review = get_object_or_404(SyncReview.objects.for_user(request.user), pk=pk)
    form = SourceReviewForm(request.POST)
    if not form.is_valid():
        return _source_reviews(
            request, status=400, error=_("Kies eigen houden, overnemen of koppelen.")
        )
    try:
        review_resolve(
            review=review,
            decision=form.cleaned_data["decision"],
            actor=request.user,
            seen_version=form.cleaned_data["version"],
        )
    except VersionConflict:
        return _source_reviews(
            request,
            status=409,
            error=_(
                "Deze vermelding is intussen veranderd (bij de bron of door een ander). Er is "
                "niets opgeslagen; bekijk haar opnieuw en kies dan."
            ),
        )
    except ValidationError as exc:
        return _source_reviews(request, status=400, error=" ".join(exc.messages))
    messages.success(
        request,
        _("Uw keuze voor ‘%(name)s’ is opgeslagen: %(decision)s.")
        % {"name": review.remote.title, "decision": review.get_decision_display()},
    )
    return redirect("resources:source_reviews")


# --- CSV export and import (resources/csv_map.py) --------------------------------------------


@require_safe
def map_export(request):
    """The map as the filters show it, as CSV with HSDS column names, streamed (Coördinator
    and Beheerder; published entries they may see)."""
    _require_curator(request)
    vocab = vocabulary()
    _form, filters, _page, _regions = _map_filters(request, vocab)
    rows = map_export_resources(user=request.user, filters=filters, vocab=vocab)
    response = StreamingHttpResponse(
        csv_map.export_lines(rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="sociale-kaart.csv"'
    return response


def _importer_region(request):
    return map_import_region(user=request.user)  # PermissionDenied: the 403 page


class _CappedUpload(FileUploadHandler):
    """Keeps one uploaded file in memory up to csv_map.MAX_BYTES and stops reading past that
    (the rest of the body is read and dropped): a bigger file never reaches memory or disk
    whole, and the page says it is too large."""

    def __init__(self, request=None):
        super().__init__(request)
        self.too_large = False
        self.files = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.files += 1
        if self.files > 1:
            raise StopUpload(connection_reset=False)
        self.buffer = io.BytesIO()

    def receive_data_chunk(self, raw_data, start):
        if self.buffer.tell() + len(raw_data) > csv_map.MAX_BYTES:
            self.too_large = True
            raise StopUpload(connection_reset=False)
        self.buffer.write(raw_data)

    def file_complete(self, file_size):
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            self.buffer, self.field_name, self.file_name, self.content_type, file_size,
            self.charset, self.content_type_extra,
        )  # fmt: skip


@csrf_exempt  # the CSRF check reads the body: the upload handler has to be set before it
@require_http_methods(["GET", "HEAD", "POST"])
def map_import(request):
    """Upload a CSV to import into the Coördinator's region; nothing is saved before the
    preview is confirmed."""
    _importer_region(request)  # refused before the body is read
    capped = _CappedUpload(request)
    request.upload_handlers = [capped]
    return _map_import(request, capped)


@csrf_protect
def _map_import(request, capped):
    region = _importer_region(request)
    bound = request.method == "POST"
    form = MapImportForm(request.POST if bound else None, request.FILES if bound else None)
    if capped.too_large:
        form.is_valid()  # no file arrived: say why instead of "required"
        form.errors["bestand"] = form.error_class([str(csv_map.too_large())])
    elif bound and form.is_valid():
        upload = form.cleaned_data["bestand"]
        if upload.size > csv_map.MAX_BYTES:
            form.add_error("bestand", str(csv_map.too_large()))
        else:
            try:
                stored = map_import_store(
                    user=request.user, filename=upload.name, data=upload.read(csv_map.MAX_BYTES + 1)
                )
            except csv_map.FileError as exc:
                form.add_error("bestand", str(exc))
            else:
                return redirect("resources:map_import_preview", pk=stored.pk)
    return render(
        request,
        "resources/map_import.html",
        {
            "form": form,
            "region": region,
            "columns": csv_map.COLUMNS,
            "max_rows": csv_map.MAX_ROWS,
            "max_mb": csv_map.MAX_BYTES // (1024 * 1024),
        },
        status=400 if form.errors else 200,
    )


def _stored_import(request, pk):
    try:
        return map_import_get(user=request.user, pk=pk)
    except MapImport.DoesNotExist:
        return None


def _expired(request):
    messages.error(
        request,
        _(
            "Dit importbestand is er niet (meer): het is al verwerkt of te lang geleden "
            "geüpload. Upload het opnieuw."
        ),
    )
    return redirect("resources:map_import")


@require_safe
def map_import_preview(request, pk):
    """Per row what the import would do, and every error by row and column."""
    _importer_region(request)
    upload = _stored_import(request, pk)
    if upload is None:
        return _expired(request)
    plan = map_import_plan(user=request.user, upload=upload)
    return render(request, "resources/map_import_preview.html", {"upload": upload, "plan": plan})


@require_POST
def map_import_confirm(request, pk):
    """Import what the preview showed, all or nothing."""
    _importer_region(request)
    upload = _stored_import(request, pk)
    if upload is None:
        return _expired(request)
    try:
        plan = map_import_apply(
            user=request.user,
            upload=upload,
            seen_digest=request.POST.get("plan", "")[:100],
            ip_address=client_ip(request),
        )
    except ImportRefused as exc:
        messages.error(request, str(exc))
        return redirect("resources:map_import_preview", pk=upload.pk)
    messages.success(
        request,
        _(
            "Geïmporteerd als concept: %(new)d nieuw, %(changed)d gewijzigd. Controleer ze en "
            "publiceer ze in het beheer."
        )
        % {"new": plan.count(csv_map.NEW), "changed": plan.count(csv_map.CHANGED)},
    )
    changelist = reverse("admin:resources_resource_changelist")
    return redirect(f"{changelist}?status__exact=concept")
