"""Open data: a read-only HSDS 3.0 API under /api/hsds/.

Public on purpose (login_not_required): it publishes the social map's public services, never
anything about users or cases. It answers as the official OpenAPI description
(`../shared/external/hsds-3.0/schema/openapi.json`) says, checked by schemathesis in the suite
(tests/resources/test_hsds_conformance.py); the deliberate deviations are listed in the README
("HSDS API: deliberate deviations") and configured in `schemathesis.toml`.

- Lists answer the `Page` envelope. Paging values the specification allows (any integer) are
  accepted and clamped to 1..MAX_PAGE and 1..MAX_PER_PAGE; `page_number`, `size` and
  `total_pages` say what was served.
- Unknown query parameters are ignored; an id filter that is not a UUID matches nothing.
- Every answer under /api/hsds/, errors included, is JSON: `{"status", "error", "message"}` with
  an English message and no stack, for 400, 404 (unknown ids, malformed ids, unknown paths,
  endpoints not offered), 405 (with `Allow`) and 429 (with `Retry-After`).
- `Access-Control-Allow-Origin: *` on every answer of this API and nowhere else: no cookie or
  login is used here, so any website may read the open data.
- `?lang=en` gives the English texts (Dutch where none is written), Dutch otherwise.
"""

import hashlib
import json
import math
import re
import time
import uuid
from datetime import UTC, datetime
from functools import wraps
from http import HTTPStatus

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache, caches
from django.core.exceptions import EmptyResultSet, TooManyFieldsSent
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.csrf import csrf_exempt

from accounts.net import client_ip
from resources import hsds
from resources.caching import FACETS_TIMEOUT, map_version

CONTENT_LANGUAGES = ("nl", "en")
ALLOWED_METHODS = ("GET", "HEAD", "OPTIONS")
MAX_PAGE = 1_000_000
MAX_SEARCH_LENGTH = 200
_INTEGER = re.compile(r"[+-]?[0-9]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_TRUE = ("true", "1")
_FALSE = ("false", "0")
API_CACHE = "api"  # settings.CACHES: the kept list pages (see _kept_list)


class ApiError(Exception):
    def __init__(self, status: int, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def _json(data, status=200) -> HttpResponse:
    # Without indent, so json's C encoder writes it (indented, the pure-Python one did: a fifth
    # of a 50-service page); the API browsers and `jq` lay it out for a reader.
    return _json_body(json.dumps(data, cls=DjangoJSONEncoder), status=status)


def _json_body(body: str, status=200) -> HttpResponse:
    """An answer of this API from its encoded JSON (also a kept one: _kept_list)."""
    response = HttpResponse(body, status=status, content_type="application/json")
    # Open data: any website may read it (no cookies are sent cross-origin with "*").
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _digest(value) -> str:
    """A short cache-key part naming `value` (a query, validated parameters)."""
    return hashlib.blake2b(repr(value).encode(), digest_size=12).hexdigest()


def error_response(status: int, message: str, headers: dict | None = None) -> HttpResponse:
    """The one error body of the API: the status, its reason phrase and an English message."""
    response = _json(
        {"status": status, "error": HTTPStatus(status).phrase, "message": message}, status=status
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def is_api_path(path: str) -> bool:
    """Whether `path` (request.path) is under /api/hsds/."""
    return path.startswith(reverse("hsds:root"))


def bad_request(request, exception) -> HttpResponse:
    """What the site's 400 handler (config.views.bad_request) answers under /api/hsds/: a
    request Django refuses before the view can answer (too many query parameters, an unknown
    Host) gets the API's JSON error, not the site's HTML page."""
    if isinstance(exception, TooManyFieldsSent):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        return error_response(400, f"Too many query parameters: at most {limit}.")
    return error_response(400, "Bad request: Django refused it before this API could read it.")


# --- rate limiting ------------------------------------------------------------------------


def _rate_limit(request) -> HttpResponse | None:
    """At most HSDS_API_RATE_LIMIT requests per client address in each HSDS_API_RATE_PERIOD
    seconds (a fixed window in the cache); 0 turns the limit off. The address is the real
    client's, read through the trusted proxies only (accounts.net.client_ip)."""
    limit = getattr(settings, "HSDS_API_RATE_LIMIT", 0)
    period = getattr(settings, "HSDS_API_RATE_PERIOD", 60)
    if limit <= 0:
        return None
    now = int(time.time())
    window = now - now % period
    key = f"hsds-api-rate:{client_ip(request) or 'unknown'}:{window}"
    cache.add(key, 0, timeout=period + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=period + 1)
        count = 1
    if count <= limit:
        return None
    retry_after = window + period - now
    return error_response(
        429,
        f"Too many requests: at most {limit} per {period} seconds. "
        f"Try again in {retry_after} seconds.",
        {"Retry-After": str(retry_after)},
    )


# --- parameters ---------------------------------------------------------------------------


def _integer(request, name: str, default: int, maximum: int) -> int:
    """Any integer is accepted (the specification allows any) and clamped to 1..maximum."""
    if name not in request.GET:
        return default
    raw = request.GET[name].strip()
    if not _INTEGER.fullmatch(raw):
        raise ApiError(400, f"{name} must be an integer.")
    digits = raw.lstrip("+-").lstrip("0") or "0"
    if raw.startswith("-"):
        return 1
    if len(digits) > len(str(maximum)):
        return maximum
    return min(max(int(digits), 1), maximum)


def _boolean(request, name: str) -> bool | None:
    if name not in request.GET:
        return None
    raw = request.GET[name].strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ApiError(400, f"{name} must be true or false.")


def _uuid_or_none(raw: str) -> str | None:
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        return None


def _id_filter(request, name: str) -> str | None:
    """An id to filter on: "" when not asked, None when asked but not a UUID (matches nothing,
    as an unknown id does), else the normalised UUID."""
    raw = request.GET.get(name, "").strip()
    if raw == "":
        return ""
    return _uuid_or_none(raw)


def _search(request) -> str:
    # Control characters (NUL among them) cannot be searched for; the search uses the first
    # words only, so a longer query is cut rather than refused.
    return _CONTROL.sub(" ", request.GET.get("search", ""))[:MAX_SEARCH_LENGTH].strip()


def _datetime(request, name: str) -> datetime | None:
    """An ISO 8601 date-time (or date); without an offset it is read as Dutch time."""
    raw = request.GET.get(name, "").strip()
    if raw == "":
        return None
    try:
        value = parse_datetime(raw)
        if value is None:
            day = parse_date(raw)
            value = None if day is None else datetime.combine(day, datetime.min.time())
    except ValueError:
        value = None
    if value is None:
        raise ApiError(400, f"{name} must be an ISO 8601 date or date-time.")
    try:
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value.astimezone(UTC)
    except OverflowError:  # the first or last day that can be written: before or after all
        return (datetime.min if value.year == 1 else datetime.max).replace(tzinfo=UTC)


def _language(request) -> str:
    language = request.GET.get("lang", "nl")
    if language not in CONTENT_LANGUAGES:
        raise ApiError(400, "lang must be nl or en.")
    return language


def _format(request) -> None:
    """JSON is the default and the only format offered; a client asking for the
    specification's other one (ndjson, streamed without paging) is told so."""
    if request.GET.get("format", "").strip().lower() == "ndjson":
        raise ApiError(400, "format=ndjson is not offered by this API: use the JSON pages.")


def _pagination(request) -> tuple[int, int]:
    """Page and page size of a list (where `format` is declared too)."""
    _format(request)
    return (
        _integer(request, "page", 1, MAX_PAGE),
        _integer(request, "per_page", hsds.DEFAULT_PER_PAGE, hsds.MAX_PER_PAGE),
    )


def _total(queryset) -> int:
    """The number of rows a list matches, kept per content version and query like the map's
    facet counts (resources/caching.py): counting every published service costs a scan that
    grows with the map, the page itself does not. A save anywhere in the map forgets it."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # a filter that matches nothing (an unknown term, say)
        return 0
    key = f"resources:hsds-total:{map_version()}:{_digest((sql, params))}"
    total = cache.get(key)
    if total is None:
        total = queryset.count()
        cache.set(key, total, FACETS_TIMEOUT)
    return total


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


# --- the view wrapper ---------------------------------------------------------------------


def api_view(view):
    """Public, rate limited, GET/HEAD (and OPTIONS) only, JSON errors, in the asked language.

    CSRF does not apply: nothing here changes anything and no cookie is read, so another method
    gets its 405 rather than the CSRF check's 403."""

    @login_not_required
    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        limited = _rate_limit(request)
        if limited is not None:
            return limited
        allow = {"Allow": ", ".join(ALLOWED_METHODS)}
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Origin"] = "*"
            response["Allow"] = allow["Allow"]
            response["Access-Control-Allow-Methods"] = allow["Allow"]
            response["Access-Control-Allow-Headers"] = "Accept, Accept-Language"
            response["Access-Control-Max-Age"] = "86400"
            return response
        if request.method not in ("GET", "HEAD"):
            return error_response(
                405, f"Method {request.method} is not allowed: this API is read-only.", allow
            )
        try:
            language = _language(request)
            with translation.override(language):
                return view(request, *args, language=language, **kwargs)
        except ApiError as exc:
            return error_response(exc.status, exc.message, exc.headers)

    return wrapper


def _not_found(what: str) -> HttpResponse:
    return error_response(404, f"No {what} with this id is published here.")


# --- endpoints ----------------------------------------------------------------------------


@api_view
def root(request, *, language):
    """What this API is."""
    return _json({"version": hsds.HSDS_VERSION, "openapi_url": hsds.OPENAPI_URL})


def _kept_list(endpoint: str, language: str, query: tuple, build) -> HttpResponse:
    """A list page's JSON, kept per content version, language and (validated) query in the
    small `api` cache: harvesters page through the same lists again and again, and a page of
    50 services costs more to read and encode than anything else a request does here. A save
    anywhere in the map forgets every kept page (`map_version()`), as it does the totals. Only
    a body of at most API_KEPT_MAX_BYTES is kept, in a cache of its own with few entries, so
    a client asking for many different pages cannot grow a worker's memory or push out what
    the rest of the product keeps."""
    key = f"resources:hsds-{endpoint}:{map_version()}:{language}:{_digest(query)}"
    kept = caches[API_CACHE]
    body = kept.get(key)
    if body is None:
        body = json.dumps(build(), cls=DjangoJSONEncoder)
        if len(body) <= settings.API_KEPT_MAX_BYTES:
            kept.set(key, body, FACETS_TIMEOUT)
    return _json_body(body)


@api_view
def services(request, *, language):
    page, per_page = _pagination(request)
    full = _boolean(request, "full")
    _boolean(request, "minimal")  # accepted, answered with the regular list (see README)
    query = (
        page,
        per_page,
        full,
        _datetime(request, "modified_after"),
        _search(request),
        _id_filter(request, "taxonomy_term_id"),
        _id_filter(request, "taxonomy_id"),
        _id_filter(request, "organization_id"),
    )
    return _kept_list("services", language, query, lambda: _services_page(*query, language))


def _services_page(
    page, per_page, full, modified_after, search, term_id, taxonomy, organization_id, language
) -> dict:
    queryset = hsds.open_resources()
    if search:
        queryset = hsds.search_services(queryset, search)
    if term_id != "":
        term = next((t for t in hsds.terms() if t.id == term_id), None)
        queryset = queryset.none() if term is None else hsds.resources_with_term(queryset, term)
    if taxonomy != "":
        key = next((k for k in hsds.TAXONOMY_KEYS if hsds.taxonomy_id(k) == taxonomy), None)
        queryset = queryset.none() if key is None else hsds.resources_in_taxonomy(queryset, key)
    if organization_id != "":
        queryset = (
            queryset.filter(organisation__uuid=organization_id)
            if organization_id
            else queryset.none()
        )
    if modified_after is not None:
        queryset = queryset.filter(updated_at__gte=modified_after)
    total = _total(queryset)
    start = (page - 1) * per_page
    rows = queryset.select_related("organisation").order_by("title_nl", "pk")
    if full:
        rows = list(hsds.full_services_queryset(rows)[start : start + per_page])
        index = hsds.term_index_of(hsds.terms())
        items = [hsds.service_full(r, term_index=index, language=language) for r in rows]
    else:
        rows = hsds.brief_services_queryset(rows)[start : start + per_page]
        items = [hsds.service_brief(r) for r in rows]
    return _page(items, total, page, per_page)


@api_view
def service(request, id, *, language):
    resource = hsds.full_services_queryset(hsds.open_resources()).filter(uuid=id).first()
    if resource is None:
        return _not_found("service")
    term_index = hsds.term_index_of(hsds.terms())
    return _json(hsds.service_full(resource, term_index=term_index, language=language))


def _organisation_services(request) -> tuple[bool, dict | None]:
    """`full_service=true`: the organisations' services fully nested (their terms too)."""
    if not _boolean(request, "full_service"):
        return False, None
    return True, hsds.term_index_of(hsds.terms())


@api_view
def organizations(request, *, language):
    page, per_page = _pagination(request)
    full = _boolean(request, "full")
    full_service = bool(_boolean(request, "full_service"))
    query = (page, per_page, full, full_service, _search(request))
    return _kept_list(
        "organizations", language, query, lambda: _organizations_page(*query, language)
    )


def _organizations_page(page, per_page, full, full_service, search, language) -> dict:
    term_index = hsds.term_index_of(hsds.terms()) if full_service else None
    queryset = hsds.open_organisations()
    if search:
        queryset = (
            queryset.filter(
                pk__in=hsds.search_services(hsds.open_resources(), search).values("organisation_id")
            )
            | queryset.filter(name_nl__icontains=search)
            | queryset.filter(name_en__icontains=search)
        )
    total = _total(queryset)
    start = (page - 1) * per_page
    rows = queryset.order_by("name_nl", "pk")
    if full or full_service:
        rows = hsds.organisations_with_services(rows, full_services=full_service)
        items = [
            hsds.organization_full(o, o.open_services, term_index=term_index, language=language)
            for o in rows[start : start + per_page]
        ]
    else:
        items = [hsds.organization_brief(o) for o in rows[start : start + per_page]]
    return _page(items, total, page, per_page)


@api_view
def organization(request, id, *, language):
    full_service, term_index = _organisation_services(request)
    organisation = (
        hsds.organisations_with_services(hsds.open_organisations(), full_services=full_service)
        .filter(uuid=id)
        .first()
    )
    if organisation is None:
        return _not_found("organization")
    return _json(
        hsds.organization_full(
            organisation, organisation.open_services, term_index=term_index, language=language
        )
    )


@api_view
def taxonomies(request, *, language):
    page, per_page = _pagination(request)
    items = hsds.taxonomies()
    search = _search(request).casefold()
    if search:
        items = [item for item in items if search in item["name"].casefold()]
    start = (page - 1) * per_page
    return _json(_page(items[start : start + per_page], len(items), page, per_page))


@api_view
def taxonomy(request, id, *, language):
    found = next((t for t in hsds.taxonomies() if t["id"] == str(id)), None)
    return _json(found) if found else _not_found("taxonomy")


@api_view
def taxonomy_terms(request, *, language):
    page, per_page = _pagination(request)
    taxonomy_id = _id_filter(request, "taxonomy_id")
    parent_id = _id_filter(request, "parent_id")
    top_only = _boolean(request, "top_only")
    search = _search(request).casefold()
    items = [hsds.term_json(term, language) for term in hsds.terms()]
    if taxonomy_id != "":
        items = [item for item in items if item["taxonomy_id"] == taxonomy_id]
    if parent_id != "":
        items = [item for item in items if item.get("parent_id") == parent_id]
    if top_only:
        items = [item for item in items if "parent_id" not in item]
    if search:
        items = [item for item in items if search in item["name"].casefold()]
    start = (page - 1) * per_page
    return _json(_page(items[start : start + per_page], len(items), page, per_page))


@api_view
def taxonomy_term(request, id, *, language):
    found = next((t for t in hsds.terms() if t.id == str(id)), None)
    return _json(hsds.term_json(found, language)) if found else _not_found("taxonomy term")


@api_view
def not_offered(request, *, endpoint: str, language, id=None):
    """An optional endpoint of the specification that this API does not offer."""
    reason = hsds.NOT_OFFERED[endpoint]
    return error_response(404, f"/{endpoint} is not offered by this API: {reason}")


@api_view
def unknown_path(request, *, rest: str, language):
    """Anything else under /api/hsds/: malformed ids (`/services/0`) and unknown paths."""
    return error_response(
        404,
        "Not found: no such path or id in this API. Ids are UUIDs; the paths are those of "
        "the HSDS 3.0 OpenAPI description.",
    )
