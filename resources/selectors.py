"""Reads for the social map: the faceted map, detail pages, the curation list, the handout.

Every read for a person starts from `visible_to(user)`, so region scoping and "never archived"
hold for every page, whatever a template does.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.constants import Role
from accounts.models import Region
from glossary.text import fold
from resources.constants import LANGUAGES, STALE_AFTER_DAYS, AudienceCode, Cost, Kind, Status
from resources.handout import (
    HandoutItem,
    HandoutRoute,
    handout_items,
    handout_refusal,
    handout_route_items,
)
from resources.models import (
    Organisation,
    ProfessionalGroup,
    ReferralRoute,
    Resource,
    Theme,
)
from resources.search import matching, query_words, rank

PAGE_SIZE = 100
# What the handout rule (resources/handout.py) reads of a resource.
HANDOUT_PREFETCH = (
    Prefetch("themes", queryset=Theme.objects.select_related("parent")),
    "audiences",
    "languages",
)
NATIONAL = "landelijk"
FACETS = ("themes", "audiences", "groups", "languages", "kinds", "costs", "regions")


@dataclass(frozen=True)
class MapFilters:
    """What the worker asked for. Within one facet the values are alternatives (OR); the
    facets and the search words all have to hold (AND)."""

    query: str = ""
    themes: tuple[str, ...] = ()
    audiences: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    costs: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        return bool(self.query or any(getattr(self, name) for name in FACETS))


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    children: list["FacetValue"] = field(default_factory=list)


@dataclass
class MapPage:
    page: Page
    resources: list[Resource]
    groups: list[tuple[Theme | None, Theme | None, list[Resource]]]
    facets: dict[str, list[FacetValue]]
    total: int


def _through(relation):
    return getattr(Resource, relation).through.objects


def _filtered(base: QuerySet, filters: MapFilters, skip: str | None = None) -> QuerySet:
    """`base` narrowed by every filter except the facet `skip` (for that facet's counts)."""
    qs = base
    if filters.query:
        qs = qs.filter(pk__in=matching(Resource.objects.all(), filters.query).values("pk"))
    if filters.themes and skip != "themes":
        rows = _through("themes").filter(
            Q(theme__slug__in=filters.themes) | Q(theme__parent__slug__in=filters.themes)
        )
        qs = qs.filter(pk__in=rows.values("resource_id"))
    if filters.audiences and skip != "audiences":
        rows = _through("audiences").filter(audience__code__in=filters.audiences)
        qs = qs.filter(pk__in=rows.values("resource_id"))
    if filters.groups and skip != "groups":
        rows = _through("professional_groups").filter(professionalgroup__slug__in=filters.groups)
        qs = qs.filter(pk__in=rows.values("resource_id"))
    if filters.languages and skip != "languages":
        rows = _through("languages").filter(language__code__in=filters.languages)
        qs = qs.filter(pk__in=rows.values("resource_id"))
    if filters.kinds and skip != "kinds":
        qs = qs.filter(kind__in=filters.kinds)
    if filters.costs and skip != "costs":
        qs = qs.filter(cost__in=filters.costs)
    if filters.regions and skip != "regions":
        ids = [int(value) for value in filters.regions if value.isdigit()]
        condition = Q(region_id__in=ids)
        if NATIONAL in filters.regions:
            condition |= Q(region__isnull=True)
        qs = qs.filter(condition)
    return qs


def map_region_choices(*, user) -> list[tuple[str, str]]:
    """The region facet's values a user may pick: national, and their own region (Beheerder:
    every region)."""
    from django.utils.translation import gettext

    choices = [(NATIONAL, gettext("Landelijk"))]
    if user.role == Role.BEHEERDER:
        choices += [(str(pk), name) for pk, name in Region.objects.values_list("pk", "name")]
    elif user.region is not None:
        choices.append((str(user.region.pk), user.region.name))
    return choices


def theme_tree() -> list[tuple[Theme, list[Theme]]]:
    """Main themes in map order, each with its sub-themes. One query."""
    themes = list(Theme.objects.order_by("order", "name_nl"))
    main = [t for t in themes if t.parent_id is None]
    return [(t, [c for c in themes if c.parent_id == t.pk]) for t in main]


def _theme_key(theme: Theme, by_pk: dict[int, Theme]) -> tuple:
    if theme.parent_id is None:
        return (theme.order, theme.pk, 0, 0)
    parent = by_pk[theme.parent_id]
    return (parent.order, parent.pk, 1, theme.order, theme.pk)


def _facets(
    base: QuerySet,
    filters: MapFilters,
    tree: list[tuple[Theme, list[Theme]]],
    groups: list[ProfessionalGroup],
    region_choices: list[tuple[str, str]],
) -> dict[str, list[FacetValue]]:
    def ids(skip):
        return _filtered(base, filters, skip).values("pk")

    themes_rows = _through("themes").filter(resource_id__in=ids("themes"))
    own = dict(themes_rows.values_list("theme_id").annotate(n=Count("resource_id", distinct=True)))
    top = dict(
        themes_rows.annotate(top=Coalesce("theme__parent_id", "theme_id"))
        .values_list("top")
        .annotate(n=Count("resource_id", distinct=True))
    )

    def counted(relation, key, skip):
        rows = _through(relation).filter(resource_id__in=ids(skip))
        return dict(rows.values_list(key).annotate(n=Count("resource_id", distinct=True)))

    def by_field(name, skip):
        rows = _filtered(base, filters, skip).order_by().values_list(name)
        return dict(rows.annotate(n=Count("pk")))

    audiences = counted("audiences", "audience__code", "audiences")
    group_counts = counted("professional_groups", "professionalgroup_id", "groups")
    languages = counted("languages", "language__code", "languages")
    kinds = by_field("kind", "kinds")
    costs = by_field("cost", "costs")
    regions = by_field("region_id", "regions")

    facets = {
        "themes": [
            FacetValue(
                main.slug,
                main.name,
                top.get(main.pk, 0),
                main.slug in filters.themes,
                [
                    FacetValue(c.slug, c.name, own.get(c.pk, 0), c.slug in filters.themes)
                    for c in children
                ],
            )
            for main, children in tree
        ],
        "audiences": [
            FacetValue(code, label, audiences.get(code, 0), code in filters.audiences)
            for code, label in AudienceCode.choices
        ],
        "groups": [
            FacetValue(g.slug, g.name, group_counts.get(g.pk, 0), g.slug in filters.groups)
            for g in groups
        ],
        "languages": sorted(
            (
                FacetValue(code, str(LANGUAGES[code]), n, code in filters.languages)
                for code, n in languages.items()
                if code in LANGUAGES
            ),
            key=lambda v: (v.value != "nl", fold(v.label)),
        ),
        "kinds": [
            FacetValue(code, label, kinds.get(code, 0), code in filters.kinds)
            for code, label in Kind.choices
        ],
        "costs": [
            FacetValue(code, label, costs.get(code, 0), code in filters.costs)
            for code, label in Cost.choices
        ],
        "regions": [
            FacetValue(
                value,
                label,
                regions.get(None if value == NATIONAL else int(value), 0),
                value in filters.regions,
            )
            for value, label in region_choices
        ],
    }
    # A picked language without results stays visible, so it can be unticked.
    shown = {v.value for v in facets["languages"]}
    facets["languages"] += [
        FacetValue(code, str(LANGUAGES[code]), 0, True)
        for code in filters.languages
        if code not in shown and code in LANGUAGES
    ]
    return facets


def map_page(
    *,
    user,
    filters: MapFilters,
    page_number: int = 1,
    language: str = "nl",
    region_choices: list[tuple[str, str]] | None = None,
    tree: list[tuple[Theme, list[Theme]]] | None = None,
    professional_groups: list[ProfessionalGroup] | None = None,
) -> MapPage:
    """One page of the map: the resources the user may see that match `filters`, ranked when
    searching and grouped by theme (in map order) otherwise, with counts per facet value."""
    base = Resource.objects.visible_to(user)
    tree = theme_tree() if tree is None else tree
    by_pk = {t.pk: t for main, children in tree for t in (main, *children)}
    matched = _filtered(base, filters)
    # (pk, search document, Dutch title, title in the interface language or Dutch)
    rows = [
        (pk, document, title_nl, (title_en if language == "en" else "") or title_nl)
        for pk, document, title_nl, title_en in matched.order_by().values_list(
            "pk", "search_document", "title_nl", "title_en"
        )
    ]

    primary: dict[int, Theme | None] = {}
    if filters.query:
        words = query_words(filters.query)
        rows.sort(key=lambda r: (-rank(r[1], words), fold(r[3] or r[2])))
    else:
        themes_of: dict[int, list[Theme]] = {}
        for resource_id, theme_id in (
            _through("themes")
            .filter(resource_id__in=matched.values("pk"))
            .values_list("resource_id", "theme_id")
        ):
            if theme_id in by_pk:
                themes_of.setdefault(resource_id, []).append(by_pk[theme_id])
        for pk, *_rest in rows:
            options = themes_of.get(pk)
            primary[pk] = min(options, key=lambda t: _theme_key(t, by_pk)) if options else None
        rows.sort(
            key=lambda r: (
                _theme_key(primary[r[0]], by_pk) if primary[r[0]] else (10**6,),
                fold(r[3] or r[2]),
            )
        )

    page = Paginator(rows, PAGE_SIZE).get_page(page_number)
    page_ids = [row[0] for row in page.object_list]
    objects = (
        Resource.objects.filter(pk__in=page_ids)
        .select_related("organisation", "region")
        .prefetch_related(*HANDOUT_PREFETCH, "professional_groups")
    )
    by_id = {obj.pk: obj for obj in objects}
    resources = [by_id[pk] for pk in page_ids if pk in by_id]
    for resource in resources:
        resource.handout_refusal = handout_refusal(resource)

    groups: list[tuple[Theme | None, Theme | None, list[Resource]]] = []
    if not filters.query:
        for resource in resources:
            theme = primary.get(resource.pk)
            main = by_pk[theme.parent_id] if theme and theme.parent_id else theme
            sub = theme if theme and theme.parent_id else None
            if groups and groups[-1][0] == main and groups[-1][1] == sub:
                groups[-1][2].append(resource)
            else:
                groups.append((main, sub, [resource]))

    facets = _facets(
        base,
        filters,
        tree,
        list(ProfessionalGroup.objects.all())
        if professional_groups is None
        else professional_groups,
        region_choices if region_choices is not None else map_region_choices(user=user),
    )
    return MapPage(page=page, resources=resources, groups=groups, facets=facets, total=len(rows))


def resource_detail(*, user, slug: str) -> Resource:
    """A resource the user may see, with everything its page shows (and whether it may go
    into a handout for parents: `handout_refusal`). DoesNotExist otherwise."""
    resource = (
        Resource.objects.visible_to(user)
        .select_related("organisation", "region", "last_checked_by")
        .prefetch_related(*HANDOUT_PREFETCH, "professional_groups")
        .get(slug=slug)
    )
    resource.handout_refusal = handout_refusal(resource)
    return resource


def routes_for_resource(*, user, resource: Resource) -> list[ReferralRoute]:
    """Routes that refer to this resource, or to its organisation without naming a resource."""
    return list(
        ReferralRoute.objects.visible_to(user)
        .filter(Q(resource=resource) | Q(organisation=resource.organisation, resource__isnull=True))
        .select_related("organisation", "resource", "region")
        .order_by("situation", "order")
    )


def organisation_detail(*, user, slug: str) -> Organisation:
    """A published organisation in the user's scope with its visible resources and routes."""
    return (
        Organisation.objects.visible_to(user)
        .select_related("region", "last_checked_by")
        .prefetch_related(
            Prefetch(
                "resources",
                queryset=Resource.objects.visible_to(user).order_by("title_nl"),
                to_attr="visible_resources",
            ),
            Prefetch(
                "referral_routes",
                queryset=ReferralRoute.objects.visible_to(user)
                .select_related("resource", "region")
                .order_by("situation", "order"),
                to_attr="visible_routes",
            ),
        )
        .get(slug=slug)
    )


def stale_condition(now=None) -> Q:
    """Never checked by a person, checked more than a year ago, or a link check failed after
    the last time a person checked it."""
    cutoff = (now or timezone.now()) - timedelta(days=STALE_AFTER_DAYS)
    return (
        Q(last_checked_at__isnull=True)
        | Q(last_checked_at__lt=cutoff)
        | Q(link_ok=False, link_checked_at__gte=F("last_checked_at"))
    )


def review_list(*, user, now=None) -> tuple[list[Organisation], list[Resource]]:
    """The "te controleren" list: entries the user may edit (Coördinator: own region;
    Beheerder: national and every region), not archived, that need a person's check."""
    condition = stale_condition(now)
    organisations = (
        Organisation.objects.editable_by(user)
        .exclude(status=Status.GEARCHIVEERD)
        .filter(condition)
        .select_related("region", "last_checked_by")
        .order_by(F("last_checked_at").asc(nulls_first=True), "name_nl")
    )
    resources = (
        Resource.objects.editable_by(user)
        .exclude(status=Status.GEARCHIVEERD)
        .filter(condition)
        .select_related("organisation", "region", "last_checked_by")
        .order_by(F("last_checked_at").asc(nulls_first=True), "title_nl")
    )
    return list(organisations), list(resources)


def review_count(*, user) -> int:
    condition = stale_condition()
    return (
        Organisation.objects.editable_by(user)
        .exclude(status=Status.GEARCHIVEERD)
        .filter(condition)
        .count()
        + Resource.objects.editable_by(user)
        .exclude(status=Status.GEARCHIVEERD)
        .filter(condition)
        .count()
    )


def handout_resources(*, user, ids: list[str]) -> list[Resource]:
    """The chosen resources the user may (still) see, in the order they were chosen, with
    what the handout rule reads."""
    objects = (
        Resource.objects.visible_to(user)
        .filter(uuid__in=ids)
        .select_related("organisation")
        .prefetch_related(*HANDOUT_PREFETCH)
    )
    by_id = {str(obj.uuid): obj for obj in objects}
    return [by_id[i] for i in ids if i in by_id]


def handout_routes(*, user, resources: list[Resource]) -> list[ReferralRoute]:
    """Referral routes to the chosen resources (or to their organisations in general)."""
    if not resources:
        return []
    return list(
        ReferralRoute.objects.visible_to(user)
        .filter(
            Q(resource__in=resources)
            | Q(organisation__in={r.organisation_id for r in resources}, resource__isnull=True)
        )
        .select_related("organisation", "resource")
        .order_by("situation", "order")
    )


@dataclass
class Handout:
    language: str
    items: list[HandoutItem]
    routes: list[HandoutRoute]


def handout(*, user, ids: list[str], language: str) -> Handout:
    """The handout as printed in `language`: the chosen resources the user may see and that
    may go into a handout, and the routes to them that may be printed. Five queries, however
    many items."""
    chosen = [r for r in handout_resources(user=user, ids=ids) if handout_refusal(r) is None]
    routes = handout_routes(user=user, resources=chosen)
    return Handout(
        language=language,
        items=handout_items(resources=chosen, language=language),
        routes=handout_route_items(routes=routes, resources=chosen, language=language),
    )


@dataclass
class PickCheck:
    allowed: set[str]
    refused: list[tuple[Resource, str]]


def handout_pick_check(*, user, ids: list[str]) -> PickCheck:
    """Of these resource ids: those the user may see that may go into a handout, and those
    the user may see that may not (with the reason, to tell the worker)."""
    allowed, refused = set(), []
    for resource in handout_resources(user=user, ids=ids):
        reason = handout_refusal(resource)
        if reason is None:
            allowed.add(str(resource.uuid))
        else:
            refused.append((resource, reason))
    return PickCheck(allowed=allowed, refused=refused)


def resources_for_parents(*, user, languages: list[str], limit: int = 20) -> list[Resource]:
    """Material for parents that exists in one of these languages (ISO 639-1) and may go
    into a handout, as the user may see it; for the parents' handout of a case. Four queries."""
    if not languages:
        return []
    candidates = (
        Resource.objects.visible_to(user)
        .filter(audiences__code=AudienceCode.OUDERS, languages__code__in=languages)
        .select_related("organisation")
        .prefetch_related(*HANDOUT_PREFETCH)
        .distinct()
        .order_by("title")
    )
    return [r for r in candidates if handout_refusal(r) is None][:limit]
