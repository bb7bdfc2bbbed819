"""Reads for the guides: published versions for readers, the draft for a preview."""

import hashlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from glossary.selectors import terms_by_slug
from guidance.branching import reading_steps
from guidance.constants import GuideKind
from guidance.diff import GuideDiff, guide_diff, review_token
from guidance.models import Guide, GuideVersion, Step
from guidance.services import guide_snapshot
from resources.models import ReferralRoute, Resource


def latest_versions() -> list[GuideVersion]:
    """The newest published version of every guide, in the guides' order (one query)."""
    newest = (
        GuideVersion.objects.filter(guide=OuterRef("guide")).order_by("-number").values("number")
    )
    return list(
        GuideVersion.objects.filter(guide__kind=GuideKind.GUIDE, number=Subquery(newest[:1]))
        .select_related("guide")
        .order_by("guide__order", "guide__slug")
    )


def guide_version(*, slug: str, number: int | None = None) -> GuideVersion:
    """A published version of a guide: the newest, or the one asked for.
    Raises GuideVersion.DoesNotExist."""
    versions = GuideVersion.objects.filter(guide__slug=slug, guide__kind=GuideKind.GUIDE)
    if number is not None:
        return versions.select_related("guide").get(number=number)
    return versions.select_related("guide").latest()


def guide_versions(*, guide: Guide) -> list[GuideVersion]:
    return list(guide.versions.select_related("published_by").order_by("-number"))


def step_terms(steps: list[dict]) -> dict[str, object]:
    """The published glossary terms the given steps link to, by slug (one query)."""
    return terms_by_slug(slug for step in steps for slug in step.get("terms", []))


def reading_position(snapshot: dict, key: str) -> tuple[list[dict], int | None]:
    """All steps in reading order and the index of `key` in them (None if absent)."""
    steps = reading_steps(snapshot=snapshot)
    index = next((i for i, step in enumerate(steps) if step["key"] == key), None)
    return steps, index


def navigator_groups(steps: list[dict]) -> list[dict]:
    """Steps in reading order, grouped where the honour branch begins and ends, numbered
    across groups: [{"source": "honour_branch", "start": 1, "steps": [...]}, ...]."""
    groups: list[dict] = []
    for number, step in enumerate(steps, start=1):
        if not groups or groups[-1]["source"] != step["source"]:
            groups.append({"source": step["source"], "start": number, "steps": []})
        groups[-1]["steps"].append(step)
    return groups


def step_referrals(steps: list[dict], *, user) -> dict[str, dict]:
    """Per step key: the referral routes (those the step names, plus the user's own region's
    routes for the same situations) and the resources, as this user may see them.
    Three queries at most, however many steps; none when kept (per content version of the
    social map, the user's scope and the steps: resources.caching forgets it on a change)."""
    from django.core.cache import cache

    from resources.caching import FACETS_TIMEOUT, map_version, scope_key

    wanted = [(step["key"], step.get("routes", []), step.get("resources", [])) for step in steps]
    team_region = user.team.region_id if user.team_id else None
    digest = hashlib.blake2b(repr(wanted).encode(), digest_size=12).hexdigest()
    key = f"guidance:step-referrals:{map_version()}:{scope_key(user)}:{team_region}:{digest}"
    found = cache.get(key)
    if found is None:
        found = _step_referrals(steps, user=user)
        cache.set(key, found, FACETS_TIMEOUT)
    return found


def _step_referrals(steps: list[dict], *, user) -> dict[str, dict]:
    route_slugs = {slug for step in steps for slug in step.get("routes", [])}
    resource_slugs = {slug for step in steps for slug in step.get("resources", [])}
    routes = {}
    if route_slugs:
        routes = {
            route.slug: route
            for route in ReferralRoute.objects.visible_to(user)
            .filter(slug__in=route_slugs)
            .select_related("organisation", "resource", "region")
        }
    regional = []
    situations = {route.situation for route in routes.values()}
    region_id = user.team.region_id if situations and user.team_id else None
    if region_id:
        regional = list(
            ReferralRoute.objects.visible_to(user)
            .filter(region_id=region_id, situation__in=situations)
            .select_related("organisation", "resource", "region")
            .order_by("order")
        )
    resources = {}
    if resource_slugs:
        resources = {
            resource.slug: resource
            for resource in Resource.objects.visible_to(user)
            .filter(slug__in=resource_slugs)
            .select_related("organisation")
        }
    result = {}
    for step in steps:
        named = [routes[s] for s in step.get("routes", []) if s in routes]
        step_situations = {route.situation for route in named}
        local = [r for r in regional if r.situation in step_situations and r not in named]
        result[step["key"]] = {
            "routes": named + local,
            "resources": [resources[s] for s in step.get("resources", []) if s in resources],
        }
    return result


# --- The back office's guide editor ---------------------------------------------------------


def guide_step_rows(*, guide: Guide, languages) -> list[Step]:
    """The guide's steps in order, with only what the guide page lists of them (no texts
    beyond the title): one query, and a page that stays small whatever the guide's length."""
    titles = [build_localized_fieldname("title", code) for code in languages]
    return list(
        guide.steps.order_by("order", "pk").only(
            "pk", "guide_id", "key", "order", "kind", "branch", "involves_parent_contact", *titles
        )
    )


@dataclass(frozen=True)
class PublishReview:
    """The draft against the newest published version, as the publish page shows it.
    `error` says why the draft cannot be published (then there is no diff)."""

    base: GuideVersion | None
    diff: GuideDiff | None
    token: str
    error: str = ""


def publish_review(*, guide: Guide) -> PublishReview:
    base = guide.versions.order_by("-number").first()
    try:
        draft = guide_snapshot(guide=guide)
    except ValidationError as error:
        return PublishReview(base=base, diff=None, token="", error=" ".join(error.messages))
    if not draft["steps"]:
        error = _("Een leidraad zonder stappen kan niet worden gepubliceerd.")
        return PublishReview(base=base, diff=None, token="", error=error)
    return PublishReview(
        base=base,
        diff=guide_diff(base.snapshot if base else None, draft),
        token=review_token(base=base.number if base else None, snapshot=draft),
    )
