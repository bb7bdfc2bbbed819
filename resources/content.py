"""Load the social map from fixtures/content/social_map.json (see load_content and the loader
interface in config/content.py). Entries are matched by slug; what the back office changed
or archived since the last load is kept."""

import json
from pathlib import Path

from django.conf import settings

from accounts.models import Region
from accounts.services import DEMO_REGION
from config.content import ContentReport, content_sync
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

# The file's fields per kind of entry: translated ones (a dict per language) and plain ones.
ORGANISATION_TRANSLATED = ("name", "description")
ORGANISATION_PLAIN = ("website", "phone", "email", "chat_url")
RESOURCE_TRANSLATED = ("title", "description", "alert", "parent_text")
RESOURCE_PLAIN = ("kind", "url", "source")
ROUTE_TRANSLATED = ("channel", "conditions", "parent_text")
ROUTE_PLAIN = ("situation", "contact", "urgency")


def _translated(entry: dict, names: tuple[str, ...]) -> dict:
    return {
        f"{name}_{language}": (entry.get(name) or {}).get(language) or ""
        for name in names
        for language, _label in settings.LANGUAGES
    }


def _plain(entry: dict, names: tuple[str, ...]) -> dict:
    return {name: entry.get(name) or "" for name in names}


def _region(value: str | None, cache: dict) -> int | None:
    """null = national; "demo" = the demo region (created by name when missing)."""
    if value is None:
        return None
    if value not in cache:
        name = DEMO_REGION if value == "demo" else value
        cache[value], _ = Region.objects.get_or_create(
            name=name, defaults={"kind": Region.Kind.REGIO}
        )
    return cache[value].pk


def _get(model, slug: str, kind: str, existing: dict):
    """The stored entry with this slug, or a new one with the stable open-data id."""
    if slug in existing:
        return existing[slug]
    entry = model(slug=slug)
    if hasattr(entry, "uuid"):
        entry.uuid = stable_uuid(kind, slug)
    return entry


def _archived(obj) -> bool:
    return getattr(obj, "status", None) == Status.GEARCHIVEERD


def load(content_dir: Path) -> ContentReport:
    """Create missing entries and update those nobody changed in the back office; an entry
    the back office edited or archived keeps its state (never re-published)."""
    data = json.loads((Path(content_dir) / "social_map.json").read_text(encoding="utf-8"))
    vocabulary_ensure()
    regions: dict[str, Region] = {}
    report = ContentReport("social map")

    def sync(obj, key, wanted, save):
        return content_sync(
            obj=obj, key=key, wanted=wanted, save=save, report=report, archived=_archived(obj)
        )[0]

    themes: dict[str, Theme] = {}
    existing = {theme.slug: theme for theme in Theme.objects.all()}
    # Main themes first, so sub-themes find their parent.
    for entry in sorted(data["themes"], key=lambda e: e.get("parent") is not None):
        theme = _get(Theme, entry["slug"], "theme", existing)
        wanted = {
            **_translated(entry, ("name",)),
            "order": entry.get("order", 0),
            "parent_id": themes[entry["parent"]].pk if entry.get("parent") else None,
        }
        themes[entry["slug"]] = sync(
            theme, f"theme {entry['slug']}", wanted, lambda obj, w: theme_save(theme=obj)
        )

    groups: dict[str, ProfessionalGroup] = {}
    existing = {group.slug: group for group in ProfessionalGroup.objects.all()}
    for position, entry in enumerate(data["professional_groups"], start=1):
        group = _get(ProfessionalGroup, entry["slug"], "professional-group", existing)
        wanted = {**_translated(entry, ("name",)), "order": position}
        groups[entry["slug"]] = sync(
            group, f"group {entry['slug']}", wanted,
            lambda obj, w: professional_group_save(group=obj),
        )  # fmt: skip

    organisations: dict[str, Organisation] = {}
    existing = {org.slug: org for org in Organisation.objects.all()}
    for entry in data["organisations"]:
        organisation = _get(Organisation, entry["slug"], "organisation", existing)
        wanted = {
            **_translated(entry, ORGANISATION_TRANSLATED),
            **_plain(entry, ORGANISATION_PLAIN),
            "address_confidential": bool(entry.get("address_confidential")),
            "region_id": _region(entry.get("region"), regions),
            "status": Status.GEPUBLICEERD,
        }
        organisations[entry["slug"]] = sync(
            organisation, f"organisation {entry['slug']}", wanted,
            lambda obj, w: organisation_save(organisation=obj),
        )  # fmt: skip

    audiences = {a.code: a for a in Audience.objects.all()}
    languages = {language.code: language for language in Language.objects.all()}
    by_pk = {
        "themes": {t.pk: t for t in themes.values()},
        "audiences": {a.pk: a for a in audiences.values()},
        "professional_groups": {g.pk: g for g in groups.values()},
        "languages": {lang.pk: lang for lang in languages.values()},
    }

    def save_resource(obj, wanted):
        return resource_save(
            resource=obj, **{name: [by_pk[name][pk] for pk in wanted[name]] for name in by_pk}
        )

    resources: dict[str, Resource] = {}
    existing = {res.slug: res for res in Resource.objects.all()}
    for entry in data["resources"]:
        resource = _get(Resource, entry["slug"], "resource", existing)
        wanted = {
            **_translated(entry, RESOURCE_TRANSLATED),
            **_plain(entry, RESOURCE_PLAIN),
            "organisation_id": organisations[entry["organisation"]].pk,
            "religious_context": list(entry.get("religious_context") or []),
            "cost": entry.get("cost") or "onbekend",
            "anonymous_contact": bool(entry.get("anonymous_contact")),
            "region_id": _region(entry.get("region"), regions),
            "status": Status.GEPUBLICEERD,
            "themes": {themes[slug].pk for slug in entry.get("themes", [])},
            "audiences": {audiences[code].pk for code in entry.get("audiences", [])},
            "professional_groups": {
                groups[slug].pk for slug in entry.get("professional_groups", [])
            },
            "languages": {languages[code].pk for code in entry.get("languages", [])},
        }
        resources[entry["slug"]] = sync(
            resource, f"resource {entry['slug']}", wanted, save_resource
        )

    existing = {route.slug: route for route in ReferralRoute.objects.all()}
    for entry in data["referral_routes"]:
        route = _get(ReferralRoute, entry["slug"], "referral-route", existing)
        wanted = {
            **_translated(entry, ROUTE_TRANSLATED),
            **_plain(entry, ROUTE_PLAIN),
            "organisation_id": organisations[entry["organisation"]].pk,
            "resource_id": resources[entry["resource"]].pk if entry.get("resource") else None,
            "order": entry.get("order", 0),
            "region_id": _region(entry.get("region"), regions),
        }
        sync(
            route, f"route {entry['slug']}", wanted,
            lambda obj, w: referral_route_save(route=obj),
        )  # fmt: skip
    return report
