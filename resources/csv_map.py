"""The social map as a spreadsheet (issue 14, item 2): one row per resource (an HSDS
"service"), columns named after HSDS 3.0's fields, for Coördinatoren to export a filtered map
and to import a file into their own region as drafts.

Columns (`COLUMNS`): the HSDS service fields `id`, `organization_id`, `name`, `description`,
`url`, `alert`, `status`, `assured_date`, `last_modified`; the service's organisation as
`organization.name`, `organization.description`, `organization.website`,
`organization.email`, `organization.phones.number`; its languages as `languages.code` and its
taxonomy terms (HSDS attributes) as `attributes.theme`, `attributes.audience`,
`attributes.professional-group`, `attributes.kind`, `attributes.cost` (codes, several
separated by commas). English texts in `<field>_en`; what HSDS has no field for keeps this
app's name: `parent_text`, `religious_context`, `anonymous_contact`, `source`, `version`.

Import rules (`plan_import`):
- The key is `id`: a row whose `id` is a resource of the importer's own region changes that
  resource; a row with the id of a national resource is left alone when it equals it and is
  an error when it does not (national entries are read-only for a Coördinator); any other row
  (no id, an unknown id, another region's) makes a new one with an id of its own. Nothing
  outside the importer's region is ever changed.
- A changed resource becomes a draft again ("concept"), a new one is a draft: the curation
  flow decides what gets published. A row equal to the stored resource changes nothing.
- `version` (from the export) must still be the stored version when the row changes
  something: otherwise someone edited the entry since the export and the row is refused.
- The organisation: the one with `organization_id` if the importer may use it (national or of
  their region), else one of those with the same name, else a new draft organisation in the
  region (rows naming the same new organisation share it). Existing organisations are not
  changed by an import.
- Read-only columns (`status`, `assured_date`, `last_modified`) are ignored on import; unknown
  columns are ignored with a warning.
- Every error is reported by row (the spreadsheet's row number, header = 1) and column; while
  any row has an error nothing can be imported. An exact repeat of an earlier row is skipped
  (a warning); another row with the same id, or a new row with the same name and
  organisation as an earlier one, is an error.

Files: UTF-8 (a BOM is allowed and the export writes one, for Excel), comma, semicolon or tab
separated (read from the header line), any line ends, at most MAX_BYTES and MAX_ROWS rows.

Cells that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage
return) are written with a leading apostrophe; the import takes that apostrophe off again.
"""

import csv
import hashlib
import io
import json
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _

from glossary.text import fold
from resources.constants import AudienceCode, Cost, Kind, ReligiousContext, Status

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 1000
LIST_SEPARATORS = (",", ";", "|")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXCEL_BOM = "\ufeff"

# The columns, in the export's order.
COLUMNS = (
    "id",
    "organization_id",
    "organization.name",
    "organization.description",
    "organization.website",
    "organization.email",
    "organization.phones.number",
    "name",
    "name_en",
    "description",
    "description_en",
    "url",
    "alert",
    "alert_en",
    "parent_text",
    "parent_text_en",
    "languages.code",
    "attributes.theme",
    "attributes.audience",
    "attributes.professional-group",
    "attributes.kind",
    "attributes.cost",
    "religious_context",
    "anonymous_contact",
    "source",
    "status",
    "assured_date",
    "last_modified",
    "version",
)
READ_ONLY = frozenset({"status", "assured_date", "last_modified"})
REQUIRED = ("name", "description", "attributes.kind")
ORGANISATION_KEYS = ("organization_id", "organization.name")

# Resource text fields <-> columns.
TEXT_FIELDS = {
    "name": "title_nl",
    "name_en": "title_en",
    "description": "description_nl",
    "description_en": "description_en",
    "url": "url",
    "alert": "alert_nl",
    "alert_en": "alert_en",
    "parent_text": "parent_text_nl",
    "parent_text_en": "parent_text_en",
    "source": "source",
}
ORGANISATION_FIELDS = {
    "organization.name": "name_nl",
    "organization.description": "description_nl",
    "organization.website": "website",
    "organization.email": "email",
    "organization.phones.number": "phone",
}
# A model field's error -> the column it belongs to.
FIELD_COLUMNS = {
    **{model: column for column, model in TEXT_FIELDS.items()},
    "title": "name",
    "description": "description",
    "alert": "alert",
    "parent_text": "parent_text",
    "kind": "attributes.kind",
    "cost": "attributes.cost",
    "religious_context": "religious_context",
    "organisation": "organization_id",
    "region": "organization_id",
}
NOT_VALIDATED = ["slug", "uuid", "status", "organisation", "region", "last_checked_by"]
TRUE_WORDS = {"ja", "j", "yes", "y", "true", "waar", "1", "x"}
FALSE_WORDS = {"nee", "n", "no", "false", "onwaar", "0", ""}


class FileError(Exception):
    """The file as a whole cannot be read (the message says why, translated)."""


# --- writing ---------------------------------------------------------------------------------


def neutralise(value) -> str:
    """A cell as text that no spreadsheet runs as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def unneutralise(text: str) -> str:
    """What `neutralise` wrote, back to the text (only the apostrophe it added)."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def _codes(items, attribute: str) -> str:
    return ", ".join(getattr(item, attribute) for item in items)


def export_row(resource) -> list[str]:
    """A resource as a row of COLUMNS. `resource` has its organisation and its relations
    (themes, audiences, professional groups, languages) loaded."""
    organisation = resource.organisation
    values = {
        "id": str(resource.uuid),
        "organization_id": str(organisation.uuid),
        "organization.name": organisation.name_nl,
        "organization.description": organisation.description_nl,
        "organization.website": organisation.website,
        "organization.email": organisation.email,
        "organization.phones.number": organisation.phone,
        **{column: getattr(resource, name) or "" for column, name in TEXT_FIELDS.items()},
        "languages.code": _codes(resource.languages.all(), "code"),
        "attributes.theme": _codes(resource.themes.all(), "slug"),
        "attributes.audience": _codes(resource.audiences.all(), "code"),
        "attributes.professional-group": _codes(resource.professional_groups.all(), "slug"),
        "attributes.kind": resource.kind,
        "attributes.cost": resource.cost,
        "religious_context": ", ".join(resource.religious_context or []),
        "anonymous_contact": "ja" if resource.anonymous_contact else "nee",
        "status": "active" if resource.status == Status.GEPUBLICEERD else "inactive",
        "assured_date": resource.last_checked_at.date().isoformat()
        if resource.last_checked_at
        else "",
        "last_modified": resource.updated_at.isoformat() if resource.updated_at else "",
        "version": resource.version,
    }
    return [neutralise(values[column]) for column in COLUMNS]


class _Echo:
    def write(self, value):
        return value


def export_lines(resources: Iterable) -> Iterator[str]:
    """The CSV text, line by line (a BOM first, so Excel reads UTF-8), for streaming."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    yield EXCEL_BOM + writer.writerow(COLUMNS)
    for resource in resources:
        yield writer.writerow(export_row(resource))


# --- reading ---------------------------------------------------------------------------------


def too_large() -> FileError:
    return FileError(
        _("Het bestand is groter dan %(limit)d MB. Splits het in kleinere bestanden.")
        % {"limit": MAX_BYTES // (1024 * 1024)}
    )


def decode(data: bytes) -> str:
    """The file's text, or FileError: empty, too large, not text, not UTF-8."""
    if len(data) > MAX_BYTES:
        raise too_large()
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise FileError(_("Het bestand is leeg."))
    if b"\x00" in data:
        raise FileError(
            _("Dit is geen CSV-bestand (tekst). Sla het in uw spreadsheet op als ‘CSV UTF-8’.")
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileError(
            _(
                "Het bestand is niet in UTF-8 opgeslagen (rond byte %(position)d). Sla het in "
                "uw spreadsheet op als ‘CSV UTF-8’."
            )
            % {"position": exc.start + 1}
        ) from exc


def _delimiter(header_line: str) -> str:
    """Comma, semicolon (a Dutch Excel's default) or tab: the one the header uses most."""
    counts = {sep: header_line.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, dict[str, str], tuple[str, ...]]]  # (row number, cells, raw)
    delimiter: str
    warnings: list[str] = field(default_factory=list)


def read_table(text: str) -> Table:
    """The header and the rows, or FileError for a file that has no usable header."""
    text = text.lstrip(EXCEL_BOM)
    first_line = text.splitlines()[0] if text.splitlines() else ""
    delimiter = _delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        raw_rows = list(reader)
    except csv.Error as exc:
        raise FileError(
            _("Het bestand is geen leesbare CSV (regel %(line)d).") % {"line": reader.line_num}
        ) from exc
    if not raw_rows:
        raise FileError(_("Het bestand is leeg."))
    header = [cell.strip().lstrip(EXCEL_BOM).lower() for cell in raw_rows[0]]
    known = [name for name in header if name in COLUMNS]
    if not known:
        raise FileError(
            _(
                "De eerste regel noemt geen bekende kolom. Gebruik de kolomnamen van de export, "
                "zoals id, name, description en attributes.kind."
            )
        )
    doubled = sorted({name for name in header if name and header.count(name) > 1})
    if doubled:
        raise FileError(
            _("Deze kolommen staan er meer dan eens in: %(columns)s.")
            % {"columns": ", ".join(doubled)}
        )
    missing = [name for name in REQUIRED if name not in header]
    if not any(name in header for name in ORGANISATION_KEYS):
        one, other = ORGANISATION_KEYS
        missing.append(_("%(one)s of %(other)s") % {"one": one, "other": other})
    if missing:
        raise FileError(
            _("Deze verplichte kolommen ontbreken: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    table = Table(header=header, rows=[], delimiter=delimiter)
    unknown = [name for name in header if name and name not in COLUMNS]
    if unknown:
        table.warnings.append(
            _("Deze kolommen kennen we niet; ze worden overgeslagen: %(columns)s.")
            % {"columns": ", ".join(unknown)}
        )
    for index, raw in enumerate(raw_rows[1:], start=2):
        if not any(cell.strip() for cell in raw):
            continue  # an empty line (a spreadsheet often leaves some at the end)
        cells = {
            name: unneutralise(raw[position].strip()) if position < len(raw) else ""
            for position, name in enumerate(header)
            if name in COLUMNS and name not in READ_ONLY
        }
        table.rows.append((index, cells, tuple(cell.strip() for cell in raw)))
    if not table.rows:
        raise FileError(_("Het bestand heeft kolomnamen maar geen rijen."))
    if len(table.rows) > MAX_ROWS:
        raise FileError(
            _("Het bestand heeft %(count)d rijen; er kunnen er hoogstens %(limit)d tegelijk.")
            % {"count": len(table.rows), "limit": MAX_ROWS}
        )
    return table


def split_list(value: str) -> list[str]:
    parts = [value]
    for separator in LIST_SEPARATORS:
        parts = [piece for part in parts for piece in part.split(separator)]
    return [part.strip() for part in parts if part.strip()]


@dataclass
class Terms:
    """The vocabulary as the import reads values: code, Dutch or English name (folded)."""

    themes: dict
    audiences: dict
    groups: dict
    languages: dict
    kinds: dict
    costs: dict
    religions: dict

    @classmethod
    def of(cls, vocab) -> "Terms":
        def index(items, code, *names):
            found = {}
            for item in items:
                for name in names:
                    label = getattr(item, name, None)
                    if label:
                        found.setdefault(fold(str(label)), item)
                found[fold(getattr(item, code))] = item
            return found

        def choices(enum):
            found = {}
            for value, label in enum.choices:
                found[fold(str(label))] = value
                found[fold(value)] = value
            return found

        return cls(
            themes=index(vocab.themes, "slug", "name_nl", "name_en"),
            audiences=index(vocab.audiences.values(), "code"),
            groups=index(vocab.groups, "slug", "name_nl", "name_en"),
            languages={fold(lang.code): lang for lang in vocab.languages.values()},
            kinds=choices(Kind),
            costs=choices(Cost),
            religions=choices(ReligiousContext),
        )

    def __post_init__(self):
        for value, label in AudienceCode.choices:
            audience = self.audiences.get(value)
            if audience is not None:
                self.audiences.setdefault(fold(str(label)), audience)


def parse_bool(value: str) -> bool | None:
    word = fold(value)
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def new_slug(text: str, max_length: int) -> str:
    """A slug that needs no look-up to be unique: the text, then 8 random hex digits."""
    base = slugify(text)[: max_length - 9].strip("-") or "csv"
    return f"{base}-{uuid.uuid4().hex[:8]}"


def messages_of(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {name: [str(m) for m in ValidationError(e).messages] for name, e in
                error.error_dict.items()}  # fmt: skip
    return {"__all__": [str(m) for m in error.messages]}


def digest(parts) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


# --- planning an import ----------------------------------------------------------------------

NEW, CHANGED, UNCHANGED, DUPLICATE, ERROR = "new", "changed", "unchanged", "duplicate", "error"
RELATION_COLUMNS = {
    "attributes.theme": ("themes", "themes", "slug"),
    "attributes.audience": ("audiences", "audiences", "code"),
    "attributes.professional-group": ("professional_groups", "groups", "slug"),
    "languages.code": ("languages", "languages", "code"),
}
# What is compared to tell a changed row from an unchanged one.
COMPARED = ("kind", "cost", "anonymous_contact", "religious_context", *TEXT_FIELDS.values())


@dataclass
class RowPlan:
    number: int
    action: str = NEW
    name: str = ""
    resource: object = None  # the Resource with the row's values (not saved)
    organisation: object = None  # an Organisation, stored or planned (pk None)
    new_organisation: bool = False
    relations: dict = field(default_factory=dict)  # relation -> list of rows (None: keep)
    changes: list[str] = field(default_factory=list)  # columns
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column, message)
    warnings: list[str] = field(default_factory=list)
    seen_version: int | None = None

    def error(self, column: str, message: str) -> None:
        self.errors.append((column, str(message)))


@dataclass
class ImportPlan:
    rows: list[RowPlan] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    organisations: list = field(default_factory=list)  # planned new organisations
    delimiter: str = ","
    text_digest: str = ""

    @property
    def ok(self) -> bool:
        return not self.file_errors and not any(row.errors for row in self.rows)

    @property
    def error_count(self) -> int:
        return len(self.file_errors) + sum(len(row.errors) for row in self.rows)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def count_new(self) -> int:
        return self.count(NEW)

    @property
    def count_changed(self) -> int:
        return self.count(CHANGED)

    @property
    def count_unchanged(self) -> int:
        return self.count(UNCHANGED)

    @property
    def to_save(self) -> list[RowPlan]:
        return [row for row in self.rows if row.action in (NEW, CHANGED)]

    @property
    def digest(self) -> str:
        """What the Coördinator saw: confirming a plan with another digest is refused."""
        return digest(
            [
                self.text_digest,
                [
                    (
                        row.number,
                        row.action,
                        str(row.resource.uuid) if row.action == CHANGED else "",
                        row.seen_version,
                        row.changes,
                    )
                    for row in self.rows
                ],
            ]
        )


def _uuid(value: str) -> str | None:
    try:
        return str(uuid.UUID(value))
    except (ValueError, AttributeError, TypeError):
        return None


def _compared(resource) -> dict:
    """The compared fields, an empty text and a missing one (NULL) alike."""
    values = {name: getattr(resource, name) for name in COMPARED}
    return {name: "" if value is None else value for name, value in values.items()}


def _snapshot(resource) -> dict:
    values = _compared(resource)
    values["organisation_id"] = resource.organisation_id
    for relation, _key, attribute in RELATION_COLUMNS.values():
        values[relation] = sorted(
            getattr(item, attribute) for item in getattr(resource, relation).all()
        )
    return values


def _changed_columns(before: dict, after: dict) -> list[str]:
    names = {
        **{model: column for column, model in TEXT_FIELDS.items()},
        "kind": "attributes.kind",
        "cost": "attributes.cost",
        "anonymous_contact": "anonymous_contact",
        "religious_context": "religious_context",
        "organisation_id": "organization_id",
        **{relation: column for column, (relation, _k, _a) in RELATION_COLUMNS.items()},
    }
    return [column for name, column in names.items() if before.get(name) != after.get(name)]


def _organisations(user, cells_list) -> tuple[dict, dict]:
    """The organisations the importer may link to (national and of their region, not
    archived) that the rows name: by uuid, and by folded name (own region first). One
    query."""
    from django.db.models import Q
    from django.db.models.functions import Lower

    from resources.models import Organisation

    ids = {_uuid(cells.get("organization_id", "")) for cells in cells_list} - {None}
    names = {cells.get("organization.name", "").strip().lower() for cells in cells_list} - {""}
    if not ids and not names:
        return {}, {}
    found = (
        Organisation.objects.admin_visible_to(user)
        .exclude(status=Status.GEARCHIVEERD)
        .annotate(lower_name=Lower("name_nl"))
        .filter(Q(uuid__in=ids) | Q(lower_name__in=names))
        .order_by("region_id", "pk")  # national (null) first on SQLite, last on PostgreSQL
    )
    by_uuid, by_name = {}, {}
    for organisation in found:
        by_uuid[str(organisation.uuid)] = organisation
        key = fold(organisation.name_nl or "")
        current = by_name.get(key)
        if current is None or (organisation.region_id and not current.region_id):
            by_name[key] = organisation  # the region's own before a national namesake
    return by_uuid, by_name


def plan_import(*, user, region, text: str, vocab) -> ImportPlan:
    """What importing `text` into `region` as `user` would do, row by row, without writing
    anything. A fixed number of queries however many rows (the vocabulary, the rows' stored
    resources with their relations, the organisations they name)."""
    from django.db.models import Q

    from resources.models import Organisation, Resource
    from resources.selectors import attach_relations, with_relation_ids

    plan = ImportPlan(text_digest=hashlib.sha256(text.encode()).hexdigest())
    try:
        table = read_table(text)
    except FileError as exc:
        plan.file_errors.append(str(exc))
        return plan
    plan.delimiter = table.delimiter
    plan.warnings += table.warnings
    present = set(table.header)
    terms = Terms.of(vocab)

    ids = {_uuid(cells.get("id", "")) for _n, cells, _raw in table.rows} - {None}
    stored = {}
    if ids:
        # The region's own entries (a row may change them) and national ones (read-only:
        # a row equal to one is left alone, a changed one is refused).
        rows = with_relation_ids(
            Resource.objects.admin_visible_to(user)
            .filter(Q(region=region) | Q(region__isnull=True), uuid__in=ids)
            .select_related("organisation")
        )
        stored = {str(resource.uuid): resource for resource in rows}
        attach_relations(stored.values(), vocab)
    orgs_by_uuid, orgs_by_name = _organisations(user, [cells for _n, cells, _r in table.rows])
    planned_orgs: dict[str, Organisation] = {}
    planned_org_errors: dict[str, list[tuple[str, str]]] = {}
    seen_raw: dict[tuple, int] = {}
    seen_ids: dict[str, int] = {}
    seen_new: dict[tuple, int] = {}

    for number, cells, raw in table.rows:
        row = RowPlan(number=number, name=cells.get("name", ""))
        plan.rows.append(row)
        if raw in seen_raw:
            row.action = DUPLICATE
            row.warnings.append(
                _("Dezelfde rij als rij %(row)d; overgeslagen.") % {"row": seen_raw[raw]}
            )
            continue
        seen_raw[raw] = number

        # The key: an id of the region's own resource changes it; anything else is new.
        raw_id = cells.get("id", "")
        key = _uuid(raw_id)
        if raw_id and key is None:
            row.warnings.append(_("Het id is geen geldig id; er komt een nieuwe vermelding."))
        if key and key in seen_ids:
            row.error("id", _("Hetzelfde id als rij %(row)d.") % {"row": seen_ids[key]})
        elif key:
            seen_ids[key] = number
        existing = stored.get(key) if key else None
        if key and existing is None and not row.errors:
            row.warnings.append(
                _(
                    "Dit id hoort niet bij een vermelding van uw regio; er komt een nieuwe "
                    "vermelding met een eigen id."
                )
            )
        before = _snapshot(existing) if existing is not None else None

        # The organisation.
        org_key = _uuid(cells.get("organization_id", ""))
        org_name = cells.get("organization.name", "").strip()
        organisation = orgs_by_uuid.get(org_key) if org_key else None
        if organisation is None and org_name:
            organisation = orgs_by_name.get(fold(org_name))
        if organisation is None and existing is not None and not org_key and not org_name:
            organisation = existing.organisation
        if organisation is None:
            planned_key = org_key or fold(org_name)
            if not org_name:
                row.error(
                    "organization.name",
                    _("Onbekende organisatie: vul organization.name in voor een nieuwe."),
                )
            elif planned_key in planned_orgs:
                organisation = planned_orgs[planned_key]
                row.new_organisation = True
                for column, message in planned_org_errors.get(planned_key, []):
                    row.error(column, message)
            else:
                organisation = Organisation(
                    region=region,
                    status=Status.CONCEPT,
                    slug=new_slug(org_name, 80),
                    **{name: cells.get(column, "") for column, name in ORGANISATION_FIELDS.items()},
                )
                planned_orgs[planned_key] = organisation
                plan.organisations.append(organisation)
                row.new_organisation = True
                errors = []
                try:
                    organisation.full_clean(validate_unique=False, exclude=NOT_VALIDATED)
                except ValidationError as exc:
                    for name, messages in messages_of(exc).items():
                        column = next(
                            (c for c, f in ORGANISATION_FIELDS.items() if name in (f, f[:-3])),
                            "organization.name",
                        )
                        if all(c != column for c, _m in errors):
                            errors.append((column, messages[0]))  # one message per cell
                planned_org_errors[planned_key] = errors
                for column, message in errors:
                    row.error(column, message)
        row.organisation = organisation

        # The resource's own values.
        resource = existing if existing is not None else Resource(region=region, cost=Cost.ONBEKEND)
        if existing is None:
            resource.slug = new_slug(cells.get("name", ""), 100)
        for column, name in TEXT_FIELDS.items():
            if column in present:
                setattr(resource, name, cells.get(column, ""))
        for column in REQUIRED[:2]:
            if not cells.get(column, "").strip():
                row.error(column, _("Dit veld is verplicht."))
        if "attributes.kind" in present:
            value = cells.get("attributes.kind", "")
            kind = terms.kinds.get(fold(value))
            if kind is None:
                row.error(
                    "attributes.kind",
                    _("Onbekende soort ‘%(value)s’. Kies uit: %(choices)s.")
                    % {"value": value, "choices": ", ".join(Kind.values)}
                    if value
                    else _("Dit veld is verplicht."),
                )
            else:
                resource.kind = kind
        if "attributes.cost" in present:
            value = cells.get("attributes.cost", "")
            cost = terms.costs.get(fold(value)) if value else Cost.ONBEKEND
            if cost is None:
                row.error(
                    "attributes.cost",
                    _("Onbekende kosten ‘%(value)s’. Kies uit: %(choices)s.")
                    % {"value": value, "choices": ", ".join(Cost.values)},
                )
            else:
                resource.cost = cost
        if "anonymous_contact" in present:
            value = parse_bool(cells.get("anonymous_contact", ""))
            if value is None:
                row.error("anonymous_contact", _("Vul ja of nee in."))
            else:
                resource.anonymous_contact = value
        if "religious_context" in present:
            values = split_list(cells.get("religious_context", ""))
            known = [terms.religions.get(fold(v)) for v in values]
            unknown = [v for v, k in zip(values, known, strict=True) if k is None]
            if unknown:
                row.error(
                    "religious_context",
                    _("Onbekende religieuze context: %(values)s. Kies uit: %(choices)s.")
                    % {"values": ", ".join(unknown), "choices": ", ".join(ReligiousContext.values)},
                )
            else:
                resource.religious_context = list(dict.fromkeys(known))
        for column, (relation, lookup, _attribute) in RELATION_COLUMNS.items():
            if column not in present:
                row.relations[relation] = None
                continue
            values = split_list(cells.get(column, ""))
            index = getattr(terms, lookup)
            unknown = [v for v in values if fold(v) not in index]
            if unknown:
                message = (
                    _("Onbekende taalcode: %(values)s. Gebruik ISO 639-1-codes zoals nl, en, ar.")
                    if relation == "languages"
                    else _("Onbekende waarde: %(values)s. Gebruik de codes van de export.")
                )
                row.error(column, message % {"values": ", ".join(unknown)})
                continue
            row.relations[relation] = list(
                {id(index[fold(v)]): index[fold(v)] for v in values}.values()
            )
        if "version" in present and cells.get("version", ""):
            try:
                row.seen_version = int(cells["version"])
            except ValueError:
                row.error("version", _("Het versienummer is geen getal."))

        if organisation is not None:
            resource.organisation = organisation
        # Foreign keys are not looked up again row by row: the organisation was found above
        # (or is new), the region is the importer's own. Model.clean() still runs.
        try:
            resource.full_clean(validate_unique=False, exclude=NOT_VALIDATED)
        except ValidationError as exc:
            for name, messages in messages_of(exc).items():
                column = FIELD_COLUMNS.get(name, "")
                if column and any(c == column for c, _m in row.errors):
                    continue  # one message per cell
                row.error(column, messages[0])
        row.resource = resource

        if existing is not None and existing.region_id is None:
            after = _snapshot_values(resource, row.relations, before)
            row.seen_version = existing.version
            row.action = UNCHANGED
            if _changed_columns(before, after):
                row.error(
                    "id",
                    _(
                        "Dit is een landelijke vermelding; die kunt u niet wijzigen. Laat het id "
                        "leeg voor een eigen vermelding in uw regio."
                    ),
                )
            else:
                row.warnings.append(_("Een landelijke vermelding; die blijft zoals ze is."))
        elif existing is not None:
            after = _snapshot_values(resource, row.relations, before)
            row.changes = _changed_columns(before, after)
            stored_version = existing.version
            if row.changes and row.seen_version is not None and row.seen_version != stored_version:
                row.error(
                    "version",
                    _(
                        "Iemand heeft deze vermelding gewijzigd na uw export (versie "
                        "%(seen)d, nu %(current)d). Exporteer opnieuw of pas haar aan in het "
                        "beheer; er wordt niets overschreven."
                    )
                    % {"seen": row.seen_version, "current": stored_version},
                )
            row.seen_version = stored_version
            row.action = CHANGED if row.changes else UNCHANGED
        else:
            row.seen_version = None
            new_key = (fold(cells.get("name", "")), org_key or fold(org_name))
            if new_key in seen_new:
                row.error(
                    "name",
                    _("Dubbel: dezelfde naam en organisatie als rij %(row)d.")
                    % {"row": seen_new[new_key]},
                )
            else:
                seen_new[new_key] = number
        if row.errors:
            row.action = ERROR
    # Only the new organisations that an imported row uses are made.
    used = {id(row.organisation) for row in plan.to_save}
    plan.organisations = [o for o in plan.organisations if id(o) in used]
    return plan


def _snapshot_values(resource, relations: dict, before: dict) -> dict:
    values = _compared(resource)
    values["organisation_id"] = getattr(resource.organisation, "pk", None)
    for relation, _key, attribute in RELATION_COLUMNS.values():
        chosen = relations.get(relation)
        values[relation] = (
            before[relation]
            if chosen is None
            else sorted(getattr(item, attribute) for item in chosen)
        )
    return values
