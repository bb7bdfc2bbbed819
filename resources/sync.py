"""Subscribing to another instance's open map (issue 14): fetch a source's HSDS 3.0 services
page by page, validate every item against the official schemas, and keep read-only copies of
them here with their provenance.

The rules, in the order a sync applies them:

- Everything is fetched and validated before anything is written. A timeout, an answer that is
  not HSDS JSON (an HTML page, a page over `SOURCE_SYNC_MAX_BYTES`), an HTTP error (a source
  that is gone) or one invalid item stops the sync: the map stays as it was and the error is
  shown on the source. The writes happen in one transaction, so a failure while writing
  leaves nothing half-taken either.
- A taxonomy term, taxonomy or language this instance does not know is not an error: the item
  is taken without it and the sync's report names the item and the term.
- A remote entry is stored as an entry of its own (organisation and resource with
  `remote_source`, `remote_id`, `remote_fetched_at`, `remote_assured_date`), read-only in the
  back office, in the source's region. An entry whose content did not change is not written
  again: a second run changes nothing.
- A new or changed remote entry that touches a local entry of the same region (same website,
  same name, or same phone number, or linked to it before) lands on the review list
  (SyncReview); a new one stays hidden (concept) until the Coördinator chose. Local entries
  are never written by the sync: only the Coördinator's "take remote" does that.
- A remote entry that is no longer at the source is archived, never deleted; it comes back if
  the source publishes it again.
- This instance's own HSDS API never publishes copies (resources.hsds), so two instances that
  subscribe to each other do not echo.
"""

import hashlib
import json
import re
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import EmailValidator
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from accounts.constants import Role
from config.concurrency import version_bump, version_claim
from glossary.sanitize import is_http_url
from glossary.text import fold
from resources.constants import LANGUAGES, Cost, Kind, Status, stable_uuid
from resources.hsds import TAXONOMY_KEYS, taxonomy_id
from resources.links import _HttpOnlyRedirects
from resources.models import (
    _PHONE,
    Audience,
    Language,
    Organisation,
    ProfessionalGroup,
    Resource,
    ReviewDecision,
    ReviewKind,
    ReviewStatus,
    Source,
    SyncReview,
    SyncStatus,
    Theme,
)
from resources.services import organisation_save, resource_save, vocabulary_ensure

USER_AGENT = "Gesprekswijzer-bronnen/1.0 (+sociale kaart)"
PER_PAGE = 200
MAX_WARNINGS = 100
MAX_LISTED_ERRORS = 5
CHUNK = 64 * 1024
SCHEMA_BASE = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"


class SyncError(Exception):
    """Why a sync stopped: a translated sentence for the source's page."""


def _setting(name: str, default):
    return getattr(settings, name, default)


def max_bytes() -> int:
    return int(_setting("SOURCE_SYNC_MAX_BYTES", 10 * 1024 * 1024))


def schema_dir() -> Path:
    """The official HSDS 3.0 schemas: the copy shipped in resources/hsds_schema/ (the
    specification's schema/ folder without openapi.json and compiled/; a test holds it equal to
    ../shared/external/hsds-3.0/schema), or HSDS_SCHEMA_DIR."""
    configured = _setting("HSDS_SCHEMA_DIR", None)
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parent / "hsds_schema"


# --- validation against the official schemas --------------------------------------------


@cache
def _service_validator(directory: str):
    """A validator of one HSDS 3.0 service (service.json and the schemas it refers to), the
    schemas' public addresses mapped to the local files: no network."""
    from jsonschema import Draft202012Validator
    from referencing import Registry
    from referencing import Resource as SchemaResource
    from referencing.jsonschema import DRAFT202012

    root = Path(directory)
    resources = []
    for path in root.glob("*.json"):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append(
            (
                SCHEMA_BASE + path.relative_to(root).as_posix(),
                SchemaResource.from_contents(contents, default_specification=DRAFT202012),
            )
        )
    registry = Registry().with_resources(resources)
    return Draft202012Validator(
        {"$ref": SCHEMA_BASE + "service.json"},
        registry=registry,
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def service_validator():
    try:
        import jsonschema  # noqa: F401
        import referencing  # noqa: F401
    except ImportError as exc:
        raise SyncError(
            _("De controle van HSDS-gegevens (jsonschema) ontbreekt op deze server.")
        ) from exc
    directory = schema_dir()
    if not (directory / "service.json").is_file():
        raise SyncError(
            _("De HSDS 3.0-schema's ontbreken op deze server (%(dir)s).") % {"dir": directory}
        )
    return _service_validator(str(directory.resolve()))


def schema_errors(item) -> list[str]:
    """What is wrong with one service according to the official schemas (empty: valid)."""
    errors = sorted(service_validator().iter_errors(item), key=lambda e: list(e.absolute_path))
    return [
        f"{'/'.join(str(p) for p in e.absolute_path) or '(item)'}: {e.message[:200]}"
        for e in errors
    ]


# --- fetching ---------------------------------------------------------------------------


_opener = urllib.request.build_opener(_HttpOnlyRedirects)


def _get_json(url: str, *, timeout: float):
    """One page: JSON only, at most `max_bytes()`, within `timeout` seconds per read and
    four times that in all."""
    limit = max_bytes()
    deadline = time.monotonic() + 4 * timeout
    request = urllib.request.Request(
        url, headers={"Accept": "application/json", "User-Agent": USER_AGENT}
    )
    try:
        with _opener.open(request, timeout=timeout) as response:
            content_type = response.headers.get_content_type()
            if content_type != "application/json" and not content_type.endswith("+json"):
                raise SyncError(
                    _(
                        "De bron antwoordde niet met HSDS-gegevens (JSON) maar met "
                        "‘%(type)s’. Klopt het adres van de API?"
                    )
                    % {"type": content_type[:60]}
                )
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > limit:
                raise _too_large(limit)
            chunks, size = [], 0
            while True:
                chunk = response.read(CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > limit:
                    raise _too_large(limit)
                if time.monotonic() > deadline:
                    raise _timeout()
                chunks.append(chunk)
    except urllib.error.HTTPError as exc:
        raise SyncError(
            _("De bron antwoordde met HTTP %(code)s op %(url)s.") % {"code": exc.code, "url": url}
        ) from exc
    except TimeoutError as exc:
        raise _timeout() from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise _timeout() from exc
        raise SyncError(
            _("De bron is niet bereikbaar (%(reason)s).") % {"reason": str(exc.reason)[:100]}
        ) from exc
    except (OSError, ValueError) as exc:
        raise SyncError(_("De bron is niet bereikbaar.")) from exc
    try:
        return json.loads(b"".join(chunks))
    except (ValueError, RecursionError) as exc:
        raise SyncError(_("De bron antwoordde met ongeldige JSON.")) from exc


def _too_large(limit: int) -> SyncError:
    return SyncError(
        _("Een pagina van de bron is groter dan %(mb)s MB; er is niets overgenomen.")
        % {"mb": round(limit / 1024 / 1024, 1)}
    )


def _timeout() -> SyncError:
    return SyncError(_("De bron antwoordde niet op tijd (time-out); er is niets overgenomen."))


def _page_url(base: str, page: int) -> str:
    query = urlencode({"full": "true", "per_page": PER_PAGE, "page": page, "lang": "nl"})
    return f"{base}services?{query}"


def fetch_services(source: Source) -> list:
    """Every service of the source, page by page (the HSDS `Page` envelope)."""
    if not is_http_url(source.base_url):
        raise SyncError(_("Alleen een webadres dat begint met http:// of https:// is toegestaan."))
    base = source.base_url if source.base_url.endswith("/") else source.base_url + "/"
    timeout = float(_setting("SOURCE_SYNC_TIMEOUT", 20))
    max_pages = int(_setting("SOURCE_SYNC_MAX_PAGES", 500))
    items, page = [], 1
    while True:
        data = _get_json(_page_url(base, page), timeout=timeout)
        contents = data.get("contents") if isinstance(data, dict) else None
        total_pages = data.get("total_pages") if isinstance(data, dict) else None
        if not isinstance(contents, list) or not isinstance(total_pages, int):
            raise SyncError(
                _(
                    "Het antwoord van de bron is geen HSDS-lijst (er ontbreken ‘contents’ of "
                    "‘total_pages’). Klopt het adres van de API?"
                )
            )
        items += contents
        if data.get("last_page") is True or page >= total_pages or not contents:
            return items
        page += 1
        if page > max_pages:
            raise SyncError(
                _("De bron heeft meer dan %(pages)s pagina's; er is niets overgenomen.")
                % {"pages": max_pages}
            )


# --- from HSDS to what this map stores ---------------------------------------------------


@dataclass
class Record:
    """One remote service as this map stores it (`data` is what is hashed and compared)."""

    id: uuid.UUID
    data: dict
    warnings: list[str] = field(default_factory=list)

    @property
    def hash(self) -> str:
        return _hash(self.data)

    @property
    def organisation_hash(self) -> str:
        return _hash(self.data["organization"])


def _hash(data) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _digits(number: str) -> str:
    return re.sub(r"[^0-9]", "", number or "")


@dataclass
class Vocab:
    themes: dict
    groups: dict
    audiences: dict
    languages: dict

    @classmethod
    def load(cls) -> "Vocab":
        vocabulary_ensure()
        return cls(
            themes={t.slug: t for t in Theme.objects.all()},
            groups={g.slug: g for g in ProfessionalGroup.objects.all()},
            audiences={a.code: a for a in Audience.objects.all()},
            languages={row.code: row for row in Language.objects.all()},
        )

    def known(self, key: str, code: str) -> bool:
        return {
            "theme": self.themes,
            "audience": self.audiences,
            "professional-group": self.groups,
            "kind": Kind.values,
            "cost": Cost.values,
        }[key].__contains__(code)


TAXONOMY_BY_ID = {taxonomy_id(key): key for key in TAXONOMY_KEYS}


def _classification(item: dict, vocab: Vocab, warnings: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {key: [] for key in TAXONOMY_KEYS}
    for attribute in item.get("attributes") or []:
        term = attribute.get("taxonomy_term") or {}
        code = _text(term.get("code")) or _text(term.get("name"))
        key = TAXONOMY_BY_ID.get(_text(term.get("taxonomy_id")))
        if key is None:
            warnings.append(
                _("onbekende taxonomie ‘%(taxonomy)s’ (term ‘%(term)s’) overgeslagen")
                % {
                    "taxonomy": (_text(term.get("taxonomy")) or _text(term.get("taxonomy_id")))[:80]
                    or "?",
                    "term": code[:80] or _text(attribute.get("taxonomy_term_id"))[:40] or "?",
                }
            )
        elif not vocab.known(key, code):
            warnings.append(
                _("onbekende term ‘%(term)s’ in taxonomie ‘%(taxonomy)s’ overgeslagen")
                % {"term": code[:80] or "?", "taxonomy": key}
            )
        elif code not in found[key]:
            found[key].append(code)
    return found


def _uuid(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _check(errors: list[str], ok: bool, message: str) -> None:
    if not ok:
        errors.append(message)


def to_record(item: dict, vocab: Vocab, source: Source) -> tuple[Record | None, list[str]]:
    """The item as this map stores it, or None and what makes it unusable here (beyond the
    schema: this map's own limits, http(s) links only)."""
    errors: list[str] = []
    warnings: list[str] = []
    name = _text(item.get("name"))
    description = _text(item.get("description")) or name
    url = _text(item.get("url"))
    alert = _text(item.get("alert"))
    _check(errors, 0 < len(name) <= 200, _("de naam is leeg of langer dan 200 tekens"))
    _check(errors, len(description) <= 10000, _("de beschrijving is langer dan 10.000 tekens"))
    _check(errors, len(alert) <= 2000, _("de melding is langer dan 2.000 tekens"))
    _check(errors, not url or (is_http_url(url) and len(url) <= 500),
           _("het adres is geen http(s)-adres van hoogstens 500 tekens"))  # fmt: skip
    organization = item.get("organization") or {}
    org_id = _text(organization.get("id")) or _text(item.get("organization_id"))
    org_name = _text(organization.get("name")) or source.name
    website = _text(organization.get("website"))
    email = _text(organization.get("email"))
    _check(errors, _uuid(item.get("id")) is not None, _("het id is geen UUID"))
    _check(errors, not org_id or _uuid(org_id) is not None,
           _("het id van de organisatie is geen UUID"))  # fmt: skip
    _check(errors, len(org_name) <= 160, _("de naam van de organisatie is te lang"))
    _check(errors, not website or (is_http_url(website) and len(website) <= 500),
           _("de website van de organisatie is geen http(s)-adres"))  # fmt: skip
    if email:
        try:
            EmailValidator()(email)
        except ValidationError:
            warnings.append(_("ongeldig e-mailadres van de organisatie overgeslagen"))
            email = ""
    phone = ""
    for row in organization.get("phones") or []:
        number = _text(row.get("number"))
        if number and _PHONE.match(number) and len(number) <= 40:
            phone = number
            break
        if number:
            warnings.append(_("ongeldig telefoonnummer van de organisatie overgeslagen"))
    classification = _classification(item, vocab, warnings)
    languages = []
    for row in item.get("languages") or []:
        code = _text(row.get("code")).lower()
        if code in LANGUAGES and code in vocab.languages:
            if code not in languages:
                languages.append(code)
        else:
            warnings.append(
                _("onbekende taal ‘%(code)s’ overgeslagen") % {"code": (code or "?")[:20]}
            )
    if errors:
        return None, errors
    data = {
        "name": name,
        "description": description,
        "url": url,
        "alert": alert,
        "assured_date": _text(item.get("assured_date")),
        "kind": (classification["kind"] or [Kind.WEBSITE.value])[0],
        "cost": (classification["cost"] or [Cost.ONBEKEND.value])[0],
        "themes": sorted(classification["theme"]),
        "audiences": sorted(classification["audience"]),
        "groups": sorted(classification["professional-group"]),
        "languages": sorted(languages),
        "phones": sorted(
            {_digits(_text(p.get("number"))) for p in item.get("phones") or []} - {""}
        ),
        "organization": {
            "id": str(_uuid(org_id)) if org_id else "",
            "name": org_name,
            "description": _text(organization.get("description")),
            "website": website,
            "email": email,
            "phone": phone,
        },
    }
    return Record(_uuid(item["id"]), data, warnings), []


def records_of(items: list, source: Source) -> tuple[list[Record], list[dict]]:
    """Every item validated and converted; SyncError naming the invalid items if any is."""
    vocab = Vocab.load()
    records, invalid, warnings, seen = [], [], [], set()
    for number, item in enumerate(items, start=1):
        label = _item_label(item, number)
        if not isinstance(item, dict):
            not_an_object = _("geen object")
            invalid.append(f"{label}: {not_an_object}")
            continue
        problems = schema_errors(item)
        if problems:
            invalid.append(f"{label}: " + "; ".join(problems[:3]))
            continue
        record, problems = to_record(item, vocab, source)
        if record is None:
            invalid.append(f"{label}: " + "; ".join(problems))
            continue
        if record.id in seen:  # a page that moved while it was read: the first counts
            continue
        seen.add(record.id)
        records.append(record)
        warnings += [
            {"id": str(record.id), "name": record.data["name"][:120], "message": message}
            for message in record.warnings
        ]
    if invalid:
        listed = "\n".join(invalid[:MAX_LISTED_ERRORS])
        more = len(invalid) - MAX_LISTED_ERRORS
        raise SyncError(
            _(
                "%(count)s item(s) van de bron voldoen niet aan HSDS 3.0 of aan de regels van "
                "deze kaart; er is niets overgenomen.\n%(items)s"
            )
            % {"count": len(invalid), "items": listed}
            + (f"\n… (+{more})" if more > 0 else "")
        )
    return records, warnings[:MAX_WARNINGS]


def _item_label(item, number: int) -> str:
    if isinstance(item, dict):
        name = _text(item.get("name"))[:60]
        identifier = _text(item.get("id"))[:40]
        return _("item %(number)s (%(name)s, %(id)s)") % {
            "number": number,
            "name": name or "?",
            "id": identifier or "?",
        }
    return _("item %(number)s") % {"number": number}


# --- writing -------------------------------------------------------------------------------


def _normal_url(url: str) -> str:
    if not url:
        return ""
    parts = urlsplit(url.strip().lower())
    host = parts.netloc.removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}" + (f"?{parts.query}" if parts.query else "")


class LocalIndex:
    """The region's own entries, by what makes a remote entry "touch" one of them."""

    def __init__(self, source: Source):
        rows = (
            Resource.objects.filter(remote_source__isnull=True, region=source.region)
            .exclude(status=Status.GEARCHIVEERD)
            .values_list("pk", "title_nl", "url", "organisation__phone")
        )
        self.names, self.urls, self.phones = {}, {}, {}
        for pk, title, url, phone in rows:
            self.names.setdefault(fold(title or ""), set()).add(pk)
            if url:
                self.urls.setdefault(_normal_url(url), set()).add(pk)
            if _digits(phone):
                self.phones.setdefault(_digits(phone), set()).add(pk)

    def touching(self, data: dict) -> dict[int, list[str]]:
        found: dict[int, list[str]] = {}
        for pk in self.names.get(fold(data["name"]), ()):
            found.setdefault(pk, []).append("naam")
        for pk in self.urls.get(_normal_url(data["url"]), ()) if data["url"] else ():
            found.setdefault(pk, []).append("website")
        for number in data["phones"]:
            for pk in self.phones.get(number, ()):
                found.setdefault(pk, []).append("telefoon")
        return found


@dataclass
class Report:
    items: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    archived: int = 0
    reviews: int = 0
    warnings: list = field(default_factory=list)

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _organisation(source, record, organisations, now) -> Organisation:
    data = record.data["organization"]
    remote_id = (
        uuid.UUID(data["id"]) if data["id"] else stable_uuid("source-organisation", str(source.pk))
    )
    organisation = organisations.get(remote_id)
    digest = record.organisation_hash
    if (
        organisation is not None
        and organisation.remote_hash == digest
        and organisation.remote_removed_at is None
    ):
        return organisation
    if organisation is None:
        organisation = Organisation(
            remote_source=source,
            remote_id=remote_id,
            slug=f"bron-{source.pk}-{remote_id}",
            region=source.region,
            status=Status.GEPUBLICEERD,
        )
    elif organisation.remote_removed_at is not None:
        organisation.status = Status.GEPUBLICEERD
        organisation.remote_removed_at = None
    organisation.name_nl = data["name"]
    organisation.description_nl = data["description"]
    organisation.website = data["website"]
    organisation.email = data["email"]
    organisation.phone = data["phone"]
    organisation.remote_hash = digest
    organisation.remote_fetched_at = now
    organisation_save(organisation=organisation, actor=None)
    organisations[remote_id] = organisation
    return organisation


def _write_resource(resource: Resource, data: dict, vocab: Vocab) -> None:
    resource.title_nl = data["name"]
    resource.description_nl = data["description"]
    resource.url = data["url"]
    resource.alert_nl = data["alert"]
    resource.kind = data["kind"]
    resource.cost = data["cost"]
    resource_save(
        resource=resource,
        actor=None,
        themes=[vocab.themes[slug] for slug in data["themes"]],
        audiences=[vocab.audiences[code] for code in data["audiences"]],
        professional_groups=[vocab.groups[slug] for slug in data["groups"]],
        languages=[vocab.languages[code] for code in data["languages"]],
    )


def _open_reviews(source, mirror, touched, kind, digest, existing) -> int:
    opened = 0
    for local_id, reasons in touched.items():
        rows = existing.get((mirror.pk, local_id), [])
        if any(r.status == ReviewStatus.RESOLVED and r.remote_hash == digest for r in rows):
            continue  # decided for exactly this content
        pending = next((r for r in rows if r.status == ReviewStatus.OPEN), None)
        if pending is not None:
            if pending.remote_hash != digest:
                version_bump(
                    SyncReview.objects.filter(pk=pending.pk), remote_hash=digest, reasons=reasons
                )
                opened += 1
            continue
        SyncReview.objects.create(
            source=source,
            remote=mirror,
            local_id=local_id,
            region=source.region,
            kind=kind,
            reasons=reasons,
            remote_hash=digest,
        )
        opened += 1
    return opened


def _apply(source: Source, records: list[Record], now) -> Report:
    report = Report(items=len(records))
    vocab = Vocab.load()
    index = LocalIndex(source)
    mirrors = {r.remote_id: r for r in Resource.objects.filter(remote_source=source)}
    organisations = {o.remote_id: o for o in Organisation.objects.filter(remote_source=source)}
    existing: dict[tuple[int, int], list[SyncReview]] = {}
    for review in SyncReview.objects.filter(source=source):
        existing.setdefault((review.remote_id, review.local_id), []).append(review)
    used_organisations = set()
    for record in records:
        organisation = _organisation(source, record, organisations, now)
        used_organisations.add(organisation.pk)
        digest = record.hash
        mirror = mirrors.get(record.id)
        if (
            mirror is not None
            and mirror.remote_hash == digest
            and mirror.remote_removed_at is None
            and mirror.organisation_id == organisation.pk
        ):
            report.unchanged += 1
            continue
        touched = index.touching(record.data)
        if mirror is not None and mirror.remote_local_id:
            touched.setdefault(mirror.remote_local_id, []).append("gekoppeld")
        created = mirror is None
        if created:
            mirror = Resource(
                remote_source=source,
                remote_id=record.id,
                slug=f"bron-{source.pk}-{record.id}",
                region=source.region,
                status=Status.CONCEPT if touched else Status.GEPUBLICEERD,
            )
            report.created += 1
        else:
            report.updated += 1
            if mirror.remote_removed_at is not None:  # back at the source
                mirror.remote_removed_at = None
                pending = touched and not mirror.remote_local_id
                mirror.status = Status.CONCEPT if pending else Status.GEPUBLICEERD
        mirror.organisation = organisation
        mirror.remote_hash = digest
        mirror.remote_fetched_at = now
        mirror.remote_assured_date = parse_date(record.data["assured_date"] or "") or None
        try:
            _write_resource(mirror, record.data, vocab)
        except ValidationError as exc:
            raise SyncError(
                _("‘%(name)s’ kon niet worden opgeslagen: %(errors)s")
                % {"name": record.data["name"][:80], "errors": "; ".join(exc.messages)[:300]}
            ) from exc
        mirrors[record.id] = mirror
        kind = ReviewKind.NEW if created else ReviewKind.CHANGED
        report.reviews += _open_reviews(source, mirror, touched, kind, digest, existing)
    seen = {record.id for record in records}
    for remote_id, mirror in mirrors.items():
        if remote_id in seen or mirror.remote_removed_at is not None:
            continue
        mirror.status = Status.GEARCHIVEERD
        mirror.remote_removed_at = now
        resource_save(resource=mirror, actor=None)
        version_bump(
            SyncReview.objects.filter(remote=mirror, status=ReviewStatus.OPEN),
            status=ReviewStatus.WITHDRAWN,
        )
        report.archived += 1
    for organisation in organisations.values():
        if organisation.pk in used_organisations or organisation.remote_removed_at is not None:
            continue
        organisation.status = Status.GEARCHIVEERD
        organisation.remote_removed_at = now
        organisation_save(organisation=organisation, actor=None)
    return report


@dataclass(frozen=True)
class SyncResult:
    ok: bool
    error: str = ""
    report: dict = field(default_factory=dict)


def source_sync(*, source: Source) -> SyncResult:
    """Take in one source, all or nothing; the outcome is recorded on the source."""
    now = timezone.now()
    try:
        records, warnings = records_of(fetch_services(source), source)
        with transaction.atomic():
            # One sync of a source at a time (PostgreSQL; SQLite writes one at a time anyway).
            Source.objects.select_for_update().filter(pk=source.pk).first()
            report = _apply(source, records, now)
        report.warnings = warnings
    except SyncError as exc:
        return _record(source, now, error=str(exc))
    result = _record(source, now, report=report.as_dict())
    return result


def _record(source: Source, now, *, error: str = "", report: dict | None = None) -> SyncResult:
    values = {
        "last_sync_at": now,
        "last_sync_status": SyncStatus.ERROR if error else SyncStatus.OK,
        "last_sync_error": error,
    }
    if not error:
        values["last_success_at"] = now
        values["last_sync_report"] = report or {}
    Source.objects.filter(pk=source.pk).update(**values)
    for name, value in values.items():
        setattr(source, name, value)
    return SyncResult(ok=not error, error=error, report=report or {})


def sources_sync(*, sources=None) -> list[tuple[Source, SyncResult]]:
    sources = Source.objects.filter(active=True) if sources is None else sources
    return [(source, source_sync(source=source)) for source in sources]


# --- the review list's choices -------------------------------------------------------------


def review_allowed(user, review: SyncReview) -> bool:
    role = getattr(user, "role", None)
    if role == Role.BEHEERDER:
        return True
    return (
        role == Role.COORDINATOR
        and user.region is not None
        and review.region_id is not None
        and review.region_id == user.region.pk
    )


@transaction.atomic
def review_resolve(*, review: SyncReview, decision: str, actor, seen_version: int) -> SyncReview:
    """The Coördinator's choice for one remote entry that touches a local one. Refused
    (VersionConflict) when the review changed since the page was shown (the source changed
    the entry again, or someone else chose); PermissionDenied outside their region."""
    if not review_allowed(actor, review):
        raise PermissionDenied(_("U mag alleen de bronnen van uw eigen regio beoordelen."))
    if decision not in ReviewDecision.values:
        raise ValidationError(_("Kies eigen houden, overnemen of koppelen."))
    version_claim(review, seen=seen_version)
    if review.status != ReviewStatus.OPEN:
        raise ValidationError(_("Deze vermelding is al beoordeeld."))
    remote = Resource.objects.select_for_update().get(pk=review.remote_id)
    local = Resource.objects.get(pk=review.local_id)
    if decision == ReviewDecision.TAKE_REMOTE:
        local.title_nl = remote.title_nl
        local.description_nl = remote.description_nl
        local.url = remote.url
        local.alert_nl = remote.alert_nl
        local.kind = remote.kind
        local.cost = remote.cost
        resource_save(
            resource=local,
            actor=actor,
            themes=list(remote.themes.all()),
            audiences=list(remote.audiences.all()),
            professional_groups=list(remote.professional_groups.all()),
            languages=list(remote.languages.all()),
        )
        remote.remote_local = local
        if remote.status != Status.GEARCHIVEERD:
            remote.status = Status.CONCEPT  # the local entry now says it: no double
        resource_save(resource=remote, actor=None)
    elif decision == ReviewDecision.LINK:
        remote.remote_local = local
        if remote.status != Status.GEARCHIVEERD:
            remote.status = Status.GEPUBLICEERD
        resource_save(resource=remote, actor=None)
    # Keep local: nothing changes; a new remote entry stays hidden (concept).
    review.status = ReviewStatus.RESOLVED
    review.decision = decision
    review.resolved_by = actor
    review.resolved_at = timezone.now()
    review.save(update_fields=["status", "decision", "resolved_by", "resolved_at", "version"])
    # Other open choices about the same pair are settled by this one.
    version_bump(
        SyncReview.objects.filter(
            remote_id=review.remote_id, local_id=review.local_id, status=ReviewStatus.OPEN
        ).exclude(pk=review.pk),
        status=ReviewStatus.WITHDRAWN,
    )
    return review
