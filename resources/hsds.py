"""The social map as open data in Open Referral's HSDS 3.0 shape (reads only).

What is published: published resources ("services") of published organisations, national and
of every region, because they are public services; never drafts, archived entries, the
fictional entries of the demo region, copies of other instances' entries (resources/sync.py),
who checked an entry, nor an organisation's visiting
address (an address-confidential organisation shows only its public contact points, and no
organisation's address is exported at all). Ids are the entries' stable UUIDs; taxonomy terms
get name-based UUIDs (resources.constants.stable_uuid), the same on every installation.
"""

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from accounts.services import DEMO_REGION
from resources.constants import LANGUAGES, AudienceCode, Cost, Kind, Status, stable_uuid
from resources.models import (
    Organisation,
    ProfessionalGroup,
    Resource,
    Theme,
    localized_names,
)
from resources.search import matching

HSDS_VERSION = "3.0"
# Where the OpenAPI description of HSDS 3.0 lives (the address its own $refs are built on).
OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"
MAX_PER_PAGE = 200
DEFAULT_PER_PAGE = 50
# Optional endpoints of the specification that this API does not offer, and why: they answer a
# JSON 404 that says so (resources/api.py).
NOT_OFFERED = {
    "service_at_locations": (
        "the social map's services are materials, helplines and trainings without a place of "
        "their own, and no organisation's visiting address is published (some are "
        "confidential), so there are no service-at-location records. Use /services."
    ),
}


def open_organisations() -> QuerySet[Organisation]:
    # Copies of other instances' entries (resources/sync.py) are theirs to publish, not ours:
    # two instances that subscribe to each other would echo them back and forth.
    return Organisation.objects.filter(
        status=Status.GEPUBLICEERD, remote_source__isnull=True
    ).exclude(region__name=DEMO_REGION)


def open_resources() -> QuerySet[Resource]:
    return (
        Resource.objects.filter(status=Status.GEPUBLICEERD, remote_source__isnull=True)
        .filter(organisation__in=open_organisations())
        .exclude(region__name=DEMO_REGION)
    )


# --- taxonomies ------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    id: str
    code: str
    name: str
    taxonomy: str
    parent_id: str | None = None


def _taxonomy_names() -> dict[str, tuple[str, str]]:
    return {
        "theme": (
            _("Thema's van de overzichtskaart"),
            _("De thema's van de overzichtskaart sexting misbruik, met subthema's."),
        ),
        "audience": (_("Doelgroep"), _("Voor wie het materiaal bedoeld is.")),
        "professional-group": (
            _("Beroepsgroep"),
            _("De beroepsgroepen voor wie het materiaal bruikbaar is."),
        ),
        "kind": (_("Soort materiaal"), _("Wat voor materiaal of dienst het is.")),
        "cost": (_("Kosten"), _("Of het materiaal of de dienst iets kost.")),
    }


TAXONOMY_KEYS = ("theme", "audience", "professional-group", "kind", "cost")


def taxonomy_id(key: str) -> str:
    return str(stable_uuid("taxonomy", key))


def taxonomies() -> list[dict]:
    return [
        {
            "id": taxonomy_id(key),
            "name": name,
            "description": description,
            "version": "1",
        }
        for key, (name, description) in _taxonomy_names().items()
    ]


def terms(themes: list[Theme] | None = None, groups=None) -> list[Term]:
    """Every taxonomy term (two queries: themes and professional groups)."""
    themes = list(Theme.objects.all()) if themes is None else themes
    groups = list(ProfessionalGroup.objects.all()) if groups is None else groups
    by_pk = {t.pk: t for t in themes}
    result = [
        Term(
            str(stable_uuid("theme", t.slug)),
            t.slug,
            t.name,
            "theme",
            str(stable_uuid("theme", by_pk[t.parent_id].slug)) if t.parent_id in by_pk else None,
        )
        for t in sorted(themes, key=lambda t: (t.parent_id is not None, t.order))
    ]
    result += [
        Term(str(stable_uuid("audience", code)), code, str(label), "audience")
        for code, label in AudienceCode.choices
    ]
    result += [
        Term(str(stable_uuid("professional-group", g.slug)), g.slug, g.name, "professional-group")
        for g in groups
    ]
    result += [
        Term(str(stable_uuid("kind", code)), code, str(label), "kind")
        for code, label in Kind.choices
    ]
    result += [
        Term(str(stable_uuid("cost", code)), code, str(label), "cost")
        for code, label in Cost.choices
    ]
    return result


def term_json(term: Term, language: str) -> dict:
    name, _description = _taxonomy_names()[term.taxonomy]
    data = {
        "id": term.id,
        "code": term.code,
        "name": term.name,
        "description": f"{name}: {term.name}",
        "taxonomy": name,
        "taxonomy_id": taxonomy_id(term.taxonomy),
        "language": language,
    }
    if term.parent_id:
        data["parent_id"] = term.parent_id
    return data


def resources_with_term(queryset: QuerySet[Resource], term: Term) -> QuerySet[Resource]:
    """Resources classified with `term` (a main theme includes its sub-themes)."""
    if term.taxonomy == "theme":
        return queryset.filter(
            pk__in=Resource.themes.through.objects.filter(
                Q(theme__slug=term.code) | Q(theme__parent__slug=term.code)
            ).values("resource_id")
        )
    if term.taxonomy == "audience":
        return queryset.filter(audiences__code=term.code).distinct()
    if term.taxonomy == "professional-group":
        return queryset.filter(professional_groups__slug=term.code).distinct()
    if term.taxonomy == "kind":
        return queryset.filter(kind=term.code)
    return queryset.filter(cost=term.code)


def resources_in_taxonomy(queryset: QuerySet[Resource], key: str) -> QuerySet[Resource]:
    """Resources with any term of the taxonomy `key` (every resource has a kind and a cost)."""
    if key == "theme":
        return queryset.filter(pk__in=Resource.themes.through.objects.values("resource_id"))
    if key == "audience":
        return queryset.filter(pk__in=Resource.audiences.through.objects.values("resource_id"))
    if key == "professional-group":
        return queryset.filter(
            pk__in=Resource.professional_groups.through.objects.values("resource_id")
        )
    return queryset


# --- services and organisations ---------------------------------------------------------


def _put(data: dict, key: str, value) -> None:
    if value not in (None, ""):
        data[key] = value


def organization_brief(organisation: Organisation) -> dict:
    data = {
        "id": str(organisation.uuid),
        "name": organisation.name,
        "description": organisation.description or organisation.name,
    }
    _put(data, "email", organisation.email)
    _put(data, "website", organisation.website)
    return data


def organization_full(
    organisation: Organisation,
    services: list[Resource],
    *,
    term_index: dict | None = None,
    language: str = "nl",
) -> dict:
    """The nested organisation; with `term_index` its services are fully nested too (they need
    the prefetches of `full_services_queryset`)."""
    data = organization_brief(organisation)
    data["phones"] = (
        [
            {
                "id": str(stable_uuid("phone", str(organisation.uuid))),
                "organization_id": str(organisation.uuid),
                "number": organisation.phone,
            }
        ]
        if organisation.phone
        else []
    )
    if term_index is None:
        data["services"] = [service_brief(r, with_organization=False) for r in services]
    else:
        data["services"] = []
        for resource in services:
            service = service_full(resource, term_index=term_index, language=language)
            del service["organization"]
            data["services"].append(service)
    return data


def brief_services_queryset(queryset: QuerySet[Resource]) -> QuerySet[Resource]:
    """Only the columns service_brief() reads, with the organisation: a page of 200 services
    would otherwise load and convert every column of both tables (the descriptions in every
    language, the content hashes, the sync provenance) for nothing."""
    return queryset.select_related("organisation").only(
        "uuid", "title", "description", "cost", "updated_at", "url", "alert",
        "last_checked_at", "organisation__uuid", "organisation__email",
        "organisation__website", *localized_names("organisation__name"),
        *localized_names("organisation__description"),
    )  # fmt: skip


def service_brief(resource: Resource, *, with_organization: bool = True) -> dict:
    data = {
        "id": str(resource.uuid),
        "organization_id": str(resource.organisation.uuid),
        "name": resource.title,
        "description": resource.description,
        "status": "active",
        "fees_description": str(resource.get_cost_display()),
        "last_modified": resource.updated_at.isoformat(),
    }
    _put(data, "url", resource.url)
    _put(data, "alert", resource.alert)
    if resource.last_checked_at:
        data["assured_date"] = resource.last_checked_at.date().isoformat()
    if with_organization:
        data["organization"] = organization_brief(resource.organisation)
    return data


def service_full(resource: Resource, *, term_index: dict, language: str) -> dict:
    """A fully nested service: languages and attributes (its taxonomy terms) filled in.
    `resource` needs themes, audiences, professional_groups and languages prefetched."""
    data = service_brief(resource)
    service_id = str(resource.uuid)
    data["organization"] = organization_full(resource.organisation, [])
    del data["organization"]["services"]
    data["languages"] = [
        {
            "id": str(stable_uuid("language", f"{service_id}:{language_row.code}")),
            "service_id": service_id,
            "name": str(LANGUAGES.get(language_row.code, language_row.code)),
            "code": language_row.code,
        }
        for language_row in resource.languages.all()
    ]
    keys = (
        [("theme", t.slug) for t in resource.themes.all()]
        + [("audience", a.code) for a in resource.audiences.all()]
        + [("professional-group", g.slug) for g in resource.professional_groups.all()]
        + [("kind", resource.kind), ("cost", resource.cost)]
    )
    data["attributes"] = []
    for key in keys:
        term = term_index.get(key)
        if term is None:
            continue
        data["attributes"].append(
            {
                "id": str(stable_uuid("attribute", f"{service_id}:{term.id}")),
                "link_id": service_id,
                "link_entity": "service",
                "link_type": term.taxonomy,
                "taxonomy_term_id": term.id,
                "taxonomy_term": term_json(term, language),
            }
        )
    return data


def full_services_queryset(queryset: QuerySet[Resource]) -> QuerySet[Resource]:
    return queryset.select_related("organisation").prefetch_related(
        "themes", "audiences", "professional_groups", "languages"
    )


def term_index_of(all_terms: list[Term]) -> dict[tuple[str, str], Term]:
    return {(term.taxonomy, term.code): term for term in all_terms}


def search_services(queryset: QuerySet[Resource], query: str) -> QuerySet[Resource]:
    return matching(queryset, query)


def organisations_with_services(
    queryset: QuerySet[Organisation], *, full_services: bool = False
) -> QuerySet[Organisation]:
    services = open_resources().select_related("organisation").order_by("title_nl", "pk")
    if full_services:
        services = full_services_queryset(services)
    return queryset.prefetch_related(
        Prefetch("resources", queryset=services, to_attr="open_services")
    )
