"""Reads for the social map: the faceted map, detail pages, the curation list, the handout.

Every read for a person starts from `visible_to(user)`, so region scoping and "never archived"
hold for every page, whatever a template does.
"""

import hashlib
from array import array
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.cache import cache, caches
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    Aggregate,
    BooleanField,
    CharField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone

from accounts.constants import Role
from glossary.text import fold
from resources.caching import FACETS_TIMEOUT, Vocabulary, map_version, scope_key, vocabulary
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
    ReferralRoute,
    Resource,
    ReviewStatus,
    SyncReview,
    Theme,
    localized_names,
)
from resources.search import matching, query_words, scorer

PAGE_SIZE = 100
# What the handout rule (resources/handout.py) reads of a resource.
HANDOUT_PREFETCH = (
    Prefetch("themes", queryset=Theme.objects.select_related("parent")),
    "audiences",
    "languages",
)
HANDOUT_RELATIONS = ("themes", "audiences", "languages")
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
    # Names the facet counts' state (content version, scope, filters): the rendered filter
    # column is kept under it too (templates/resources/_map_results.html).
    facets_key: str = ""

    @property
    def total_label(self) -> str:
        """ "1.000+" when capped (grouped as the interface language groups numbers)."""
        from django.utils.formats import number_format

        if not self.capped:
            return str(self.total)
        return f"{number_format(self.total, force_grouping=True)}+"


def _through(relation):
    return getattr(Resource, relation).through.objects


class _Ids(Aggregate):
    """A relation's ids as one string, "3,8,12": GROUP_CONCAT on SQLite, string_agg on
    PostgreSQL."""

    function = "GROUP_CONCAT"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s(CAST(%(expressions)s AS TEXT), ',')",
            **extra_context,
        )


# Relation -> its column in the through table.
RELATIONS = {
    "themes": "theme_id",
    "audiences": "audience_id",
    "languages": "language_id",
    "professional_groups": "professionalgroup_id",
}


def with_relation_ids(queryset: QuerySet, relations=tuple(RELATIONS)) -> QuerySet:
    """`queryset` with each resource's theme, audience, language and group ids in the same
    query (one correlated subquery per relation, along the through table's index); fill the
    relations with `attach_relations`. Instead of four prefetch queries."""
    annotations = {}
    for relation in relations:
        rows = _through(relation).filter(resource_id=OuterRef("pk")).order_by()
        annotations[f"{relation}_ids"] = Subquery(
            rows.values("resource_id").annotate(ids=_Ids(RELATIONS[relation])).values("ids")[:1]
        )
    return queryset.annotate(**annotations)


class _Loaded(list):
    """Related rows already read: what `resource.themes.all()` answers after attach_relations
    (a prefetch's queryset costs more to build than reading 100 resources' ids)."""

    def all(self):
        return self

    def exists(self) -> bool:
        return bool(self)

    def count(self, *value) -> int:
        return list.count(self, *value) if value else len(self)


def _prefill(obj, name: str, items: list) -> None:
    """What prefetch_related leaves behind: `obj.<name>.all()` answers `items`, no query."""
    if not hasattr(obj, "_prefetched_objects_cache"):
        obj._prefetched_objects_cache = {}
    obj._prefetched_objects_cache[name] = _Loaded(items)


def attach_relations(resources, vocab: Vocabulary | None = None) -> None:
    """Fill themes (with their parents), audiences, languages and professional groups of
    resources read `with_relation_ids`, from the cached vocabulary, in their usual order."""
    vocab = vocab or vocabulary()
    lookups = {
        "themes": vocab.themes_by_pk,
        "audiences": vocab.audiences,
        "languages": vocab.languages,
        "professional_groups": vocab.groups_by_pk,
    }
    places = {name: {pk: n for n, pk in enumerate(lookup)} for name, lookup in lookups.items()}
    for resource in resources:
        for name, lookup in lookups.items():
            raw = getattr(resource, f"{name}_ids", None)
            if raw is None and not hasattr(resource, f"{name}_ids"):
                continue
            ids = sorted(
                {int(pk) for pk in (raw or "").split(",") if pk},
                key=lambda pk, place=places[name]: place.get(pk, len(place)),
            )
            _prefill(resource, name, [lookup[pk] for pk in ids if pk in lookup])


def _facet_conditions(filters: MapFilters, vocab: Vocabulary) -> dict[str, object]:
    """Per active facet: the condition a resource meets to pass it (the values of one facet
    are alternatives). Slugs and codes become ids through the vocabulary: no joins."""

    def has(relation, ids):
        rows = _through(relation).filter(resource_id=OuterRef("pk"), **{
            f"{RELATIONS[relation]}__in": ids
        })  # fmt: skip
        return Exists(rows)

    conditions = {}
    if filters.themes:
        chosen = set(filters.themes)
        ids = [
            t.pk
            for t in vocab.themes
            if t.slug in chosen or (t.parent_id and t.parent.slug in chosen)
        ]
        conditions["themes"] = has("themes", ids)
    if filters.audiences:
        ids = [a.pk for a in vocab.audiences.values() if a.code in filters.audiences]
        conditions["audiences"] = has("audiences", ids)
    if filters.groups:
        ids = [g.pk for g in vocab.groups if g.slug in filters.groups]
        conditions["groups"] = has("professional_groups", ids)
    if filters.languages:
        ids = [lang.pk for lang in vocab.languages.values() if lang.code in filters.languages]
        conditions["languages"] = has("languages", ids)
    if filters.kinds:
        conditions["kinds"] = Q(kind__in=filters.kinds)
    if filters.costs:
        conditions["costs"] = Q(cost__in=filters.costs)
    if filters.regions:
        ids = [int(value) for value in filters.regions if value.isdigit()]
        condition = Q(region_id__in=ids)
        if NATIONAL in filters.regions:
            condition |= Q(region__isnull=True)
        conditions["regions"] = condition
    return conditions


def _searched(base: QuerySet, filters: MapFilters) -> QuerySet:
    if not filters.query:
        return base
    return base.filter(pk__in=matching(Resource.objects.all(), filters.query).values("pk"))


def map_region_choices(*, user, vocab: Vocabulary | None = None) -> list[tuple[str, str]]:
    """The region facet's values a user may pick: national, and their own region (Beheerder:
    every region)."""
    from django.utils.translation import gettext

    choices = [(NATIONAL, gettext("Landelijk"))]
    if user.role == Role.BEHEERDER:
        choices += [(str(pk), name) for pk, name in (vocab or vocabulary()).regions]
    elif user.region is not None:
        choices.append((str(user.region.pk), user.region.name))
    return choices


def theme_tree(vocab: Vocabulary | None = None) -> list[tuple[Theme, list[Theme]]]:
    """Main themes in map order, each with its sub-themes: from the cached vocabulary, or
    (without one) from the database in one query."""
    themes = vocab.themes if vocab is not None else list(Theme.objects.order_by("order", "name_nl"))
    main = [t for t in themes if t.parent_id is None]
    return [(t, [c for c in themes if c.parent_id == t.pk]) for t in main]


def _theme_key(theme: Theme, by_pk: dict[int, Theme]) -> tuple:
    if theme.parent_id is None:
        return (theme.order, theme.pk, 0, 0)
    parent = by_pk[theme.parent_id]
    return (parent.order, parent.pk, 1, theme.order, theme.pk)


def _facets_key(filters: MapFilters, scope: str) -> str:
    """The facet counts' cache key: content version, scope and filters."""
    digest = hashlib.blake2b(repr(filters).encode(), digest_size=12).hexdigest()
    return f"resources:facets:{map_version()}:{scope}:{digest}"


def _facet_counts(base: QuerySet, filters: MapFilters, vocab: Vocabulary, key: str) -> dict:
    """Every facet's counts and the total, in one statement: the search match is computed
    once (a common table expression with a flag per active facet), then one grouped query
    per facet family over it, each family counted with every filter but its own (within a
    facet the values are alternatives). Kept per content version, scope and filters for
    FACETS_TIMEOUT (under `key`, _facets_key()): a national map's counts cost a scan of every
    visible resource."""
    found = cache.get(key)
    if found is not None:
        return found
    conditions = _facet_conditions(filters, vocab)
    flags = {
        f"f_{name}": ExpressionWrapper(condition, output_field=BooleanField())
        if isinstance(condition, Q)
        else condition
        for name, condition in conditions.items()
    }
    inner = _searched(base, filters).order_by().annotate(**flags)
    inner = inner.values("pk", "kind", "cost", "region_id", *flags)
    sql, params = inner.query.sql_with_params()
    qn = connection.ops.quote_name

    def where(skip):
        kept = [f"m.{qn('f_' + name)}" for name in conditions if name != skip]
        return " AND ".join(kept) or "1 = 1"

    def related(family, relation, skip, distinct_top=False):
        through = getattr(Resource, relation).through
        table, column = qn(through._meta.db_table), qn(RELATIONS[relation])
        if distinct_top:
            top = f"COALESCE(th.{qn('parent_id')}, t.{column})"
            return (
                f"SELECT '{family}', CAST({top} AS TEXT), COUNT(DISTINCT m.pk) FROM m "
                f"JOIN {table} t ON t.{qn('resource_id')} = m.pk "
                f"JOIN {qn(Theme._meta.db_table)} th ON th.{qn('id')} = t.{column} "
                f"WHERE {where(skip)} GROUP BY {top}"
            )
        return (
            f"SELECT '{family}', CAST(t.{column} AS TEXT), COUNT(*) FROM m "
            f"JOIN {table} t ON t.{qn('resource_id')} = m.pk "
            f"WHERE {where(skip)} GROUP BY t.{column}"
        )

    def own(family, column, skip):
        return (
            f"SELECT '{family}', CAST(m.{qn(column)} AS TEXT), COUNT(*) FROM m "
            f"WHERE {where(skip)} GROUP BY m.{qn(column)}"
        )

    arms = [
        related("themes", "themes", "themes"),
        related("top", "themes", "themes", distinct_top=True),
        related("audiences", "audiences", "audiences"),
        related("groups", "professional_groups", "groups"),
        related("languages", "languages", "languages"),
        own("kinds", "kind", "kinds"),
        own("costs", "cost", "costs"),
        own("regions", "region_id", "regions"),
        f"SELECT 'total', NULL, COUNT(*) FROM m WHERE {where(None)}",
    ]
    # Columns by their aliases (pk, kind, cost, region_id, f_<facet>): Django names each.
    statement = f"WITH m AS ({sql}) " + " UNION ALL ".join(arms)
    found = {family: {} for family in (*FACETS, "top", "total")}
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        for family, value, count in cursor.fetchall():
            found[family][value] = count
    cache.set(key, found, FACETS_TIMEOUT)
    return found


def _facets(
    counts: dict,
    filters: MapFilters,
    tree: list[tuple[Theme, list[Theme]]],
    vocab: Vocabulary,
    region_choices: list[tuple[str, str]],
) -> dict[str, list[FacetValue]]:
    def by_id(family, names=None):
        result = {}
        for value, count in counts[family].items():
            pk = int(value)
            key = pk if names is None else getattr(names.get(pk), "code", None)
            if key is not None:
                result[key] = count
        return result

    own, top = by_id("themes"), by_id("top")
    audiences = by_id("audiences", vocab.audiences)
    group_counts = by_id("groups")
    languages = by_id("languages", vocab.languages)
    kinds, costs = counts["kinds"], counts["costs"]
    regions = {None if v is None else int(v): n for v, n in counts["regions"].items()}

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
            for g in vocab.groups
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
    vocab: Vocabulary | None = None,
) -> MapPage:
    """One page of the map: the resources the user may see that match `filters`, ranked when
    searching and grouped by theme (in map order) otherwise, with counts per facet value.

    The database pages, orders and counts: the map order is stored on each resource
    (map_rank, sort titles: an index walks it); searching ranks at most COUNT_CAP + 1
    matches, the first in map order (scored by resources.search.rank()); the facet counts and
    the total come from one statement (see _facet_counts) and the count shows "1.000+"
    past COUNT_CAP. One query for the page itself with its relations (two when searching)."""
    vocab = vocab or vocabulary()
    base = Resource.objects.visible_to(user)
    tree = theme_tree(vocab)
    region_choices = region_choices or map_region_choices(user=user, vocab=vocab)
    facets_key = _facets_key(filters, scope_key(user))
    counts = _facet_counts(base, filters, vocab, facets_key)
    total = counts["total"].get(None, 0)
    capped = total > COUNT_CAP
    total = min(total, COUNT_CAP)

    matched = _searched(base, filters).filter(*_facet_conditions(filters, vocab).values())
    sort_title = "sort_title_en" if language == "en" else "sort_title_nl"
    in_map_order = matched.order_by("map_rank", sort_title, "pk")
    words = query_words(filters.query) if filters.query else []
    related = ("organisation", "region")
    if words:
        # The ranking (kept; see _ranked_ids), then the page's rows by id.
        ranked = _ranked_ids(in_map_order, words, sort_title, f"{facets_key}:{language}", total)
        page = Paginator(ranked, PAGE_SIZE).get_page(page_number)
        page_ids = list(page.object_list)
        rows = with_relation_ids(
            Resource.objects.filter(pk__in=page_ids).order_by().select_related(*related)
        )
        by_id = {resource.pk: resource for resource in rows}
        resources = [by_id[pk] for pk in page_ids if pk in by_id]
    else:
        rows = with_relation_ids(in_map_order.select_related(*related))
        page = Paginator(_CountedRows(rows, total), PAGE_SIZE).get_page(page_number)
        resources = list(page.object_list)
    attach_relations(resources, vocab)
    for resource in resources:
        resource.handout_refusal = handout_refusal(resource)

    groups: list[tuple[Theme | None, Theme | None, list[Resource]]] = []
    if not filters.query:
        by_pk = vocab.themes_by_pk
        theme_at = {rank: by_pk[pk] for pk, rank in theme_ranks(tree).items()}
        for resource in resources:
            theme = theme_at.get(resource.map_rank)
            main = by_pk[theme.parent_id] if theme and theme.parent_id else theme
            sub = theme if theme and theme.parent_id else None
            if groups and groups[-1][0] == main and groups[-1][1] == sub:
                groups[-1][2].append(resource)
            else:
                groups.append((main, sub, [resource]))

    return MapPage(
        page=page,
        resources=resources,
        groups=groups,
        facets=_facets(counts, filters, tree, vocab, region_choices),
        total=total,
        capped=capped,
        facets_key=f"{facets_key}:{language}",
    )


RANKING_CACHE = "ranking"  # settings.CACHES: kept search rankings (see _ranked_ids)


def _ranked_ids(in_map_order: QuerySet, words: list[str], sort_title: str, key: str, total: int):
    """The ids of a search's matches, best first, at most COUNT_CAP + 1: the first matches in
    map order, read along the map index with their search documents in one query and scored
    by resources.search.rank() itself (in Python: a tenth of what the same score costs as
    SQL). Equal scores keep the title order, as on the map.

    Kept per content version, scope, filters and language (`key`: the facet counts' key and
    the language) in a small cache of its own, as compact 8-byte ids (8 KB at most): the next
    page, or a colleague's search for the same word, reads no documents. A save anywhere in
    the map makes a new version, so a kept ranking never outlives the content it ranks."""
    kept_rankings = caches[RANKING_CACHE]
    kept = kept_rankings.get(key)
    if kept is not None:
        return array("q", kept).tolist()
    # None of the three is a translated field: rewrite(False) gives Django's own row tuples,
    # not modeltranslation's per-row dict and fallback pass (a quarter of the ranking's cost).
    documents = in_map_order.rewrite(False).values_list("pk", "search_document", sort_title)
    bounded = list(documents[: COUNT_CAP + 1])
    score = scorer(words)
    bounded.sort(key=lambda row: (-score(row[1]), row[2], row[0]))
    ranked = [pk for pk, _document, _title in bounded[: min(total, len(bounded))]]
    kept_rankings.set(key, array("q", ranked).tobytes(), FACETS_TIMEOUT)
    return ranked


def resource_detail(*, user, slug: str) -> Resource:
    """A resource the user may see, with everything its page shows (and whether it may go
    into a handout for parents: `handout_refusal`). DoesNotExist otherwise. One query."""
    related = ("organisation", "region", "last_checked_by")
    resource = with_relation_ids(Resource.objects.visible_to(user).select_related(*related)).get(
        slug=slug
    )
    attach_relations([resource])
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


# What the organisation page shows of it besides its name and description: read once per
# material on that page (the organisation comes with each), so nothing else is.
ORGANISATION_PAGE_FIELDS = (
    "slug", "website", "phone", "email", "chat_url", "address_confidential", "visiting_address",
)  # fmt: skip


def organisation_detail(*, user, slug: str) -> Organisation:
    """A published organisation in the user's scope with its visible resources and routes.
    One query: the resources come with their organisation (read alone only when it has no
    resource the user may see); of the resources only what the page lists is read, as an
    organisation may have hundreds. The routes are a queryset, read when the page uses them
    (a second query): the page keeps the rendering of both lists per content version, scope
    and language."""
    organisation = Organisation.objects.visible_to(user).filter(slug=slug)
    resources = list(
        Resource.objects.visible_to(user)
        .filter(organisation__in=organisation)
        .select_related("organisation__region")
        .only(
            "slug",
            "title",
            "kind",
            "organisation",
            "organisation__region",
            *(f"organisation__{name}" for name in ORGANISATION_PAGE_FIELDS),
            *localized_names("organisation__name"),
            *localized_names("organisation__description"),
        )  # fmt: skip
        .order_by("title_nl")
    )
    if resources:
        found = resources[0].organisation
        for resource in resources:
            resource.organisation = found
    else:
        found = organisation.select_related("region").get()
    found.visible_resources = resources
    # Read only when the page's kept lists are not (templates/resources/organisation_detail.html).
    found.visible_routes = (
        ReferralRoute.objects.visible_to(user)
        .filter(organisation=found)
        .select_related("resource", "region")
        .order_by("situation", "order")
    )
    return found


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
        .filter(condition, remote_source__isnull=True)
        .select_related("region", "last_checked_by")
        .order_by(F("last_checked_at").asc(nulls_first=True), "name_nl")
    )
    resources = (
        Resource.objects.editable_by(user)
        .exclude(status=Status.GEARCHIVEERD)
        .filter(condition, remote_source__isnull=True)
        .select_related("organisation", "region", "last_checked_by")
        .order_by(F("last_checked_at").asc(nulls_first=True), "title_nl")
    )
    return list(organisations), list(resources)


def review_count(*, user) -> int:
    condition = stale_condition()
    return (
        Organisation.objects.editable_by(user)
        .exclude(status=Status.GEARCHIVEERD)
        .filter(condition, remote_source__isnull=True)
        .count()
        + Resource.objects.editable_by(user)
        .exclude(status=Status.GEARCHIVEERD)
        .filter(condition, remote_source__isnull=True)
        .count()
    )


def source_review_list(*, user) -> list[SyncReview]:
    """The open choices about remote entries that touch local ones (resources/sync.py):
    Coördinator: their own region's; Beheerder: all. One query whatever their number."""
    return list(
        SyncReview.objects.for_user(user)
        .filter(status=ReviewStatus.OPEN)
        .select_related(
            "source", "region", "remote", "remote__organisation", "local", "local__organisation"
        )
        .order_by("created_at", "pk")
    )


def source_review_count(*, user) -> int:
    return SyncReview.objects.for_user(user).filter(status=ReviewStatus.OPEN).count()


def handout_resources(*, user, ids: list[str]) -> list[Resource]:
    """The chosen resources the user may (still) see, in the order they were chosen, with
    what the handout rule reads."""
    objects = list(
        with_relation_ids(
            Resource.objects.visible_to(user).filter(uuid__in=ids).select_related("organisation"),
            HANDOUT_RELATIONS,
        )
    )
    attach_relations(objects)
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
    may go into a handout, and the routes to them that may be printed. Two queries, however
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


# What a list of material for parents shows of each (the plan): the rest of a row is not read
# when the list is kept.
PARENTS_LIST_FIELDS = ("uuid", "slug", "title", "url", "organisation")


def resources_for_parents(*, user, languages: list[str], limit: int = 20) -> list[Resource]:
    """Material for parents that exists in one of these languages (ISO 639-1) and may go
    into a handout, as the user may see it; for the parents' handout of a case.

    EXISTS instead of joins and DISTINCT, ordered along the (title_nl, id) index: the database
    walks the titles and stops early instead of sorting every match at national scale. Material
    without a Dutch text for parents is left out in SQL; the rest of the handout rule (themes,
    wording) is read in Python on a bounded window of candidates. Those that pass are read
    again with only what the list shows (PARENTS_LIST_FIELDS, the organisation's name, the
    languages), and these rows are kept per content version, scope and languages: a warm call
    reads nothing. Every call gets its own copies (the cache hands out unpickled objects)."""
    if not languages:
        return []
    key = f"resources:parents:{map_version()}:{scope_key(user)}:{'-'.join(languages)}:{limit}"
    kept = cache.get(key)
    if kept is not None:
        return kept
    for_parents = _through("audiences").filter(
        resource_id=OuterRef("pk"), audience__code=AudienceCode.OUDERS
    )
    in_language = _through("languages").filter(
        resource_id=OuterRef("pk"), language__code__in=languages
    )
    candidates = list(
        with_relation_ids(
            Resource.objects.visible_to(user)
            .filter(Exists(for_parents), Exists(in_language))
            .filter(parent_text_nl__gt="")  # as the partial index says: not empty, not null
            .select_related("organisation"),
            HANDOUT_RELATIONS,
        ).order_by("title_nl", "pk")[: limit * 3]
    )
    attach_relations(candidates)
    passed = [r.pk for r in candidates if handout_refusal(r) is None][:limit]
    rows = with_relation_ids(
        Resource.objects.visible_to(user)
        .filter(pk__in=passed)
        .select_related("organisation")
        .only(*PARENTS_LIST_FIELDS, *localized_names("organisation__name")),
        ("languages",),
    )
    by_id = {resource.pk: resource for resource in rows}
    found = [by_id[pk] for pk in passed if pk in by_id]
    attach_relations(found)
    cache.set(key, found, FACETS_TIMEOUT)
    return found


EXPORT_CHUNK = 500


def map_export_resources(*, user, filters: MapFilters, vocab: Vocabulary | None = None):
    """The resources of the map's CSV export (resources/csv_map.py): every published resource
    the user may see that matches `filters` (the map page's), in map order, with its
    organisation and relations. A generator that reads EXPORT_CHUNK rows a query, each chunk
    after the last one's place in map order (keyset, along the map's index): a national map
    never sits in memory whole, and no statement (nor a cursor held open) grows with it, so
    the database's statement timeout holds for any size."""
    vocab = vocab or vocabulary()
    base = Resource.objects.visible_to(user)
    matched = _searched(base, filters).filter(*_facet_conditions(filters, vocab).values())
    ordered = with_relation_ids(
        matched.select_related("organisation").order_by("map_rank", "sort_title_nl", "pk")
    )
    after = Q()
    while True:
        chunk = list(ordered.filter(after)[:EXPORT_CHUNK])
        if not chunk:
            return
        attach_relations(chunk, vocab)
        yield from chunk
        if len(chunk) < EXPORT_CHUNK:
            return
        last = chunk[-1]
        rank, title = last.map_rank, last.sort_title_nl
        after = (
            Q(map_rank__gt=rank)
            | Q(map_rank=rank, sort_title_nl__gt=title)
            | Q(map_rank=rank, sort_title_nl=title, pk__gt=last.pk)
        )
