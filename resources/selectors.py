"""Reads for the social map: the faceted map, detail pages, the curation list, the handout.

Every read for a person starts from `visible_to(user)`, so region scoping and "never archived"
hold for every page, whatever a template does.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
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
from resources.search import matching, query_words

PAGE_SIZE = 100
# What the handout rule (resources/handout.py) reads of a resource.
HANDOUT_PREFETCH = (
    Prefetch("themes", queryset=Theme.objects.select_related("parent")),
    "audiences",
    "languages",
)
# Counting every match of a common word at national scale costs more than it tells: past this
# the map says "1.000+" (and pages up to it).
COUNT_CAP = 1000
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
    capped: bool = False  # more than `total` (COUNT_CAP) match

    @property
    def total_label(self) -> str:
        """ "1.000+" when capped (grouped as the interface language groups numbers)."""
        from django.utils.formats import number_format

        if not self.capped:
            return str(self.total)
        return f"{number_format(self.total, force_grouping=True)}+"


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


class _CountedRows:
    """A queryset with a count known in advance (capped), for the Paginator: it slices the
    page out of the database and never counts again."""

    def __init__(self, queryset, count):
        self.queryset, self._count = queryset, count

    def count(self):
        return self._count

    def __len__(self):
        return self._count

    def __getitem__(self, key):
        return self.queryset[key]


def _search_rank(words: list[str]):
    """The same score as resources.search.rank(), computed by the database: the document's
    four sections cut out with StrIndex/Substr, a CASE per word and section."""
    from django.db.models import Case, IntegerField, Value, When
    from django.db.models.functions import StrIndex, Substr

    from resources.search import SECTION_SEPARATOR, variants

    sep = Value(SECTION_SEPARATOR)
    step = len(SECTION_SEPARATOR)
    doc = F("search_document")
    p1 = StrIndex(doc, sep)
    rest1 = Substr(doc, p1 + step)
    p2 = StrIndex(rest1, sep)
    rest2 = Substr(rest1, p2 + step)
    p3 = StrIndex(rest2, sep)
    sections = {
        "rank_title": Substr(doc, 1, p1 - 1),
        "rank_org": Substr(rest1, 1, p2 - 1),
        "rank_themes": Substr(rest2, 1, p3 - 1),
        "rank_text": Substr(rest2, p3 + step),
    }

    def any_of(section, forms, prefix=""):
        condition = Q()
        for form in forms:
            condition |= Q(**{f"{section}__contains": prefix + form})
        return condition

    parts = []
    for word in words:
        forms = variants(word)
        starts = Q()
        for form in forms:
            starts |= Q(rank_title__startswith=form)
        parts.append(
            Case(
                When(starts | any_of("rank_title", forms, " "), then=Value(8)),
                When(any_of("rank_title", forms), then=Value(5)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        for section, weight in (("rank_org", 3), ("rank_themes", 3), ("rank_text", 1)):
            parts.append(
                Case(
                    When(any_of(section, forms), then=Value(weight)),
                    default=Value(0),
                    output_field=IntegerField(),
                )
            )
    total = parts[0]
    for part in parts[1:]:
        total = total + part
    return sections, total


def theme_ranks(tree: list[tuple[Theme, list[Theme]]] | None = None) -> dict[int, int]:
    """Theme id -> its place in map order (main theme, then its sub-themes). One query
    without a tree."""
    tree = theme_tree() if tree is None else tree
    by_pk = {t.pk: t for main, children in tree for t in (main, *children)}
    ordered = sorted(by_pk.values(), key=lambda t: _theme_key(t, by_pk))
    return {theme.pk: place for place, theme in enumerate(ordered)}


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
    searching and grouped by theme (in map order) otherwise, with counts per facet value.

    The database pages, orders and counts: the map order is stored on each resource
    (map_rank, sort titles: an index walks it), the search score is a SQL expression, and
    the count stops at COUNT_CAP (shown as "1.000+")."""
    base = Resource.objects.visible_to(user)
    tree = theme_tree() if tree is None else tree
    by_pk = {t.pk: t for main, children in tree for t in (main, *children)}
    matched = _filtered(base, filters).order_by()
    sort_title = "sort_title_en" if language == "en" else "sort_title_nl"
    words = query_words(filters.query) if filters.query else []
    if words:
        sections, score = _search_rank(words)
        ordered = (
            matched.annotate(**sections)
            .annotate(search_rank=score)
            .order_by("-search_rank", sort_title, "pk")
        )
    else:
        ordered = matched.order_by("map_rank", sort_title, "pk")
    total = matched.values("pk")[: COUNT_CAP + 1].count()
    capped = total > COUNT_CAP
    total = min(total, COUNT_CAP)

    page = Paginator(_CountedRows(ordered.values_list("pk", "map_rank"), total), PAGE_SIZE)
    page = page.get_page(page_number)
    rows = list(page.object_list)
    page_ids = [pk for pk, _rank in rows]
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
        theme_at = {rank: by_pk[pk] for pk, rank in theme_ranks(tree).items()}
        rank_of = dict(rows)
        for resource in resources:
            theme = theme_at.get(rank_of[resource.pk])
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
    return MapPage(
        page=page,
        resources=resources,
        groups=groups,
        facets=facets,
        total=total,
        capped=capped,
    )


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
    into a handout, as the user may see it; for the parents' handout of a case. Four queries.

    EXISTS instead of joins and DISTINCT, ordered along the (title_nl, id) index: the database
    walks the titles and stops early instead of sorting every match at national scale. Material
    without a Dutch text for parents is left out in SQL; the rest of the handout rule (themes,
    wording) is read in Python on a bounded window of candidates."""
    if not languages:
        return []
    for_parents = _through("audiences").filter(
        resource_id=OuterRef("pk"), audience__code=AudienceCode.OUDERS
    )
    in_language = _through("languages").filter(
        resource_id=OuterRef("pk"), language__code__in=languages
    )
    candidates = (
        Resource.objects.visible_to(user)
        .filter(Exists(for_parents), Exists(in_language))
        .exclude(Q(parent_text_nl__isnull=True) | Q(parent_text_nl=""))
        .select_related("organisation")
        .prefetch_related(*HANDOUT_PREFETCH)
        .order_by("title_nl", "pk")[: limit * 3]
    )
    return [r for r in candidates if handout_refusal(r) is None][:limit]
