"""Open data: a read-only HSDS 3.0 API under /api/hsds/.

Public on purpose (login_not_required): it publishes the social map's public services, never
anything about users or cases. Lists answer the OpenAPI's `Page` envelope; `?lang=en` gives
the English texts (Dutch where none is written), Dutch otherwise.
"""

import math
import uuid

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from resources import hsds

CONTENT_LANGUAGES = ("nl", "en")


class BadRequest(Exception):
    pass


def _json(data, status=200) -> JsonResponse:
    response = JsonResponse(data, status=status, safe=False, json_dumps_params={"indent": 1})
    # Open data: any website may read it (no cookies are sent cross-origin with "*").
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _positive_int(request, name: str, default: int, maximum: int) -> int:
    raw = request.GET.get(name, "")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise BadRequest(_("%(name)s moet een geheel getal zijn.") % {"name": name}) from exc
    if value < 1 or value > maximum:
        raise BadRequest(
            _("%(name)s moet tussen 1 en %(maximum)d liggen.") % {"name": name, "maximum": maximum}
        )
    return value


def _uuid_param(request, name: str) -> str | None:
    raw = request.GET.get(name, "")
    if not raw:
        return None
    try:
        return str(uuid.UUID(raw))
    except ValueError as exc:
        raise BadRequest(_("%(name)s moet een UUID zijn.") % {"name": name}) from exc


def _language(request) -> str:
    language = request.GET.get("lang", "nl")
    if language not in CONTENT_LANGUAGES:
        raise BadRequest(_("lang moet nl of en zijn."))
    return language


def _page(items, total: int, page: int, per_page: int) -> dict:
    total_pages = max(1, math.ceil(total / per_page))
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(items),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": total == 0,
        "contents": items,
    }


def api_view(view):
    """Public, GET/HEAD only, JSON errors (400 for bad parameters), in the asked language."""

    @login_not_required
    @require_safe
    def wrapper(request, *args, **kwargs):
        try:
            language = _language(request)
            with translation.override(language):
                return view(request, *args, language=language, **kwargs)
        except BadRequest as exc:
            return _json({"error": str(exc)}, status=400)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _not_found():
    return _json({"error": _("Niet gevonden.")}, status=404)


def _pagination(request) -> tuple[int, int]:
    return (
        _positive_int(request, "page", 1, 1_000_000),
        _positive_int(request, "per_page", hsds.DEFAULT_PER_PAGE, hsds.MAX_PER_PAGE),
    )


@api_view
def root(request, *, language):
    """What this API is."""
    return _json({"version": hsds.HSDS_VERSION, "openapi_url": hsds.OPENAPI_URL})


@api_view
def services(request, *, language):
    page, per_page = _pagination(request)
    queryset = hsds.open_resources()
    search = request.GET.get("search", "").strip()
    if len(search) > 100:
        raise BadRequest(_("search mag hoogstens 100 tekens lang zijn."))
    if search:
        queryset = hsds.search_services(queryset, search)
    term_id = _uuid_param(request, "taxonomy_term_id")
    if term_id:
        term = next((t for t in hsds.terms() if t.id == term_id), None)
        if term is None:
            return _json(_page([], 0, page, per_page))
        queryset = hsds.resources_with_term(queryset, term)
    organization_id = _uuid_param(request, "organization_id")
    if organization_id:
        queryset = queryset.filter(organisation__uuid=organization_id)
    total = queryset.count()
    start = (page - 1) * per_page
    rows = queryset.select_related("organisation").order_by("title_nl", "pk")[
        start : start + per_page
    ]
    return _json(_page([hsds.service_brief(r) for r in rows], total, page, per_page))


@api_view
def service(request, id, *, language):
    resource = hsds.full_services_queryset(hsds.open_resources()).filter(uuid=id).first()
    if resource is None:
        return _not_found()
    term_index = hsds.term_index_of(hsds.terms())
    return _json(hsds.service_full(resource, term_index=term_index, language=language))


@api_view
def organizations(request, *, language):
    page, per_page = _pagination(request)
    queryset = hsds.open_organisations()
    search = request.GET.get("search", "").strip()
    if len(search) > 100:
        raise BadRequest(_("search mag hoogstens 100 tekens lang zijn."))
    if search:
        queryset = (
            queryset.filter(
                pk__in=hsds.search_services(hsds.open_resources(), search).values("organisation_id")
            )
            | queryset.filter(name_nl__icontains=search)
            | queryset.filter(name_en__icontains=search)
        )
    total = queryset.count()
    start = (page - 1) * per_page
    rows = queryset.order_by("name_nl", "pk")[start : start + per_page]
    return _json(_page([hsds.organization_brief(o) for o in rows], total, page, per_page))


@api_view
def organization(request, id, *, language):
    organisation = (
        hsds.organisations_with_services(hsds.open_organisations()).filter(uuid=id).first()
    )
    if organisation is None:
        return _not_found()
    return _json(hsds.organization_full(organisation, organisation.open_services))


@api_view
def taxonomies(request, *, language):
    page, per_page = _pagination(request)
    items = hsds.taxonomies()
    start = (page - 1) * per_page
    return _json(_page(items[start : start + per_page], len(items), page, per_page))


@api_view
def taxonomy(request, id, *, language):
    found = next((t for t in hsds.taxonomies() if t["id"] == str(id)), None)
    return _json(found) if found else _not_found()


@api_view
def taxonomy_terms(request, *, language):
    page, per_page = _pagination(request)
    taxonomy_id = _uuid_param(request, "taxonomy_id")
    parent_id = _uuid_param(request, "parent_id")
    search = request.GET.get("search", "").strip().casefold()
    items = [hsds.term_json(term, language) for term in hsds.terms()]
    if taxonomy_id:
        items = [item for item in items if item["taxonomy_id"] == taxonomy_id]
    if parent_id:
        items = [item for item in items if item.get("parent_id") == parent_id]
    if request.GET.get("top_only") in ("true", "1"):
        items = [item for item in items if "parent_id" not in item]
    if search:
        items = [item for item in items if search in item["name"].casefold()]
    start = (page - 1) * per_page
    return _json(_page(items[start : start + per_page], len(items), page, per_page))


@api_view
def taxonomy_term(request, id, *, language):
    found = next((t for t in hsds.terms() if t.id == str(id)), None)
    return _json(hsds.term_json(found, language)) if found else _not_found()
