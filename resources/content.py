"""Load the social map from fixtures/content/social_map.json (see load_content)."""

import json
from pathlib import Path

from accounts.models import Region
from accounts.services import DEMO_REGION
from resources.constants import Status, stable_uuid
from resources.models import (
    Audience,
    Language,
    Organisation,
    ProfessionalGroup,
    ReferralRoute,
    Resource,
    Theme,
)
from resources.services import (
    organisation_save,
    professional_group_save,
    referral_route_save,
    resource_save,
    theme_save,
    vocabulary_ensure,
)


def _set_translated(obj, field: str, texts: dict[str, str] | None) -> None:
    for language, text in (texts or {}).items():
        setattr(obj, f"{field}_{language}", text or "")


def _region(value: str | None, cache: dict) -> Region | None:
    """null = national; "demo" = the demo region (created by name when missing)."""
    if value is None:
        return None
    if value not in cache:
        name = DEMO_REGION if value == "demo" else value
        cache[value], _ = Region.objects.get_or_create(
            name=name, defaults={"kind": Region.Kind.REGIO}
        )
    return cache[value]


def _get(model, slug: str, kind: str):
    """The stored entry with this slug, or a new one with the stable open-data id."""
    existing = model.objects.filter(slug=slug).first()
    if existing is not None:
        return existing
    entry = model(slug=slug)
    if hasattr(entry, "uuid"):
        entry.uuid = stable_uuid(kind, slug)
    return entry


def load(content_dir: Path) -> str:
    """Create or update every entry by its slug; safe to run twice. Classifications are set
    exactly as in the file; everything loaded is published."""
    data = json.loads((Path(content_dir) / "social_map.json").read_text(encoding="utf-8"))
    vocabulary_ensure()
    regions: dict[str, Region] = {}

    themes: dict[str, Theme] = {}
    # Main themes first, so sub-themes find their parent.
    for entry in sorted(data["themes"], key=lambda e: e.get("parent") is not None):
        theme = _get(Theme, entry["slug"], "theme")
        _set_translated(theme, "name", entry["name"])
        theme.order = entry.get("order", 0)
        theme.parent = themes[entry["parent"]] if entry.get("parent") else None
        themes[entry["slug"]] = theme_save(theme=theme)

    groups: dict[str, ProfessionalGroup] = {}
    for position, entry in enumerate(data["professional_groups"], start=1):
        group = _get(ProfessionalGroup, entry["slug"], "professional-group")
        _set_translated(group, "name", entry["name"])
        group.order = position
        groups[entry["slug"]] = professional_group_save(group=group)

    organisations: dict[str, Organisation] = {}
    for entry in data["organisations"]:
        organisation = _get(Organisation, entry["slug"], "organisation")
        _set_translated(organisation, "name", entry["name"])
        _set_translated(organisation, "description", entry.get("description"))
        for field in ("website", "phone", "email", "chat_url"):
            setattr(organisation, field, entry.get(field) or "")
        organisation.address_confidential = bool(entry.get("address_confidential"))
        organisation.region = _region(entry.get("region"), regions)
        organisation.status = Status.GEPUBLICEERD
        organisations[entry["slug"]] = organisation_save(organisation=organisation)

    audiences = {a.code: a for a in Audience.objects.all()}
    languages = {language.code: language for language in Language.objects.all()}
    resources: dict[str, Resource] = {}
    for entry in data["resources"]:
        resource = _get(Resource, entry["slug"], "resource")
        _set_translated(resource, "title", entry["title"])
        _set_translated(resource, "description", entry["description"])
        _set_translated(resource, "alert", entry.get("alert"))
        _set_translated(resource, "parent_text", entry.get("parent_text"))
        resource.organisation = organisations[entry["organisation"]]
        resource.kind = entry["kind"]
        resource.url = entry.get("url") or ""
        resource.religious_context = list(entry.get("religious_context") or [])
        resource.cost = entry.get("cost") or "onbekend"
        resource.anonymous_contact = bool(entry.get("anonymous_contact"))
        resource.source = entry.get("source") or ""
        resource.region = _region(entry.get("region"), regions)
        resource.status = Status.GEPUBLICEERD
        resources[entry["slug"]] = resource_save(
            resource=resource,
            themes=[themes[slug] for slug in entry.get("themes", [])],
            audiences=[audiences[code] for code in entry.get("audiences", [])],
            professional_groups=[groups[slug] for slug in entry.get("professional_groups", [])],
            languages=[languages[code] for code in entry.get("languages", [])],
        )

    for entry in data["referral_routes"]:
        route = _get(ReferralRoute, entry["slug"], "referral-route")
        route.situation = entry["situation"]
        route.organisation = organisations[entry["organisation"]]
        route.resource = resources[entry["resource"]] if entry.get("resource") else None
        _set_translated(route, "channel", entry["channel"])
        _set_translated(route, "conditions", entry.get("conditions"))
        _set_translated(route, "parent_text", entry.get("parent_text"))
        route.contact = entry.get("contact") or ""
        route.urgency = entry["urgency"]
        route.order = entry.get("order", 0)
        route.region = _region(entry.get("region"), regions)
        referral_route_save(route=route)

    return (
        f"{len(themes)} themes, {len(groups)} professional groups, "
        f"{len(organisations)} organisations, {len(resources)} resources, "
        f"{len(data['referral_routes'])} referral routes"
    )
