"""Writes for the social map. The region rule (Beheerder edits everything, a Coördinator only
their own region, nobody else anything) is checked here for every write made on behalf of a
person, so the admin, the curation pages and commands cannot bypass it."""

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Case, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from accounts.constants import Role, SecurityEventKind
from accounts.models import Region, User
from accounts.services import security_event_record
from config.concurrency import VersionConflict, version_claim
from glossary.text import fold
from resources import csv_map
from resources.constants import LANGUAGES, AudienceCode, Kind, Status
from resources.models import (
    UNTHEMED_RANK,
    Audience,
    Language,
    MapImport,
    Organisation,
    ProfessionalGroup,
    ReferralRoute,
    Resource,
    Theme,
    region_editable_by,
)
from resources.search import build_document
from resources.selectors import theme_ranks


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def _all_languages(obj, field: str) -> list[str]:
    return [getattr(obj, build_localized_fieldname(field, code)) or "" for code in _languages()]


def vocabulary_ensure() -> None:
    """Make the fixed vocabularies (audiences, languages) exist as rows. Idempotent."""
    for model, codes in ((Audience, AudienceCode.values), (Language, list(LANGUAGES))):
        present = set(model.objects.values_list("code", flat=True))
        model.objects.bulk_create([model(code=code) for code in codes if code not in present])


def check_can_edit(*, actor: User | None, region_id: int | None) -> None:
    """Raise PermissionDenied unless `actor` may write entries of this region. `actor=None`
    is the system itself (content loader, link checker), never a person."""
    if actor is not None and not region_editable_by(actor, region_id):
        raise PermissionDenied(_("U mag alleen de sociale kaart van uw eigen regio wijzigen."))


def resource_refresh_search_document(*, resource: Resource) -> str:
    """Store what search compares: title, organisation, themes (with their main theme) and
    description in all languages, plus the kind's name."""
    themes = list(resource.themes.select_related("parent"))
    theme_names = []
    for theme in themes:
        theme_names += _all_languages(theme, "name")
        if theme.parent_id:
            theme_names += _all_languages(theme.parent, "name")
    with translation.override("nl"):
        kind = str(Kind(resource.kind).label) if resource.kind in Kind.values else ""
    document = build_document(
        titles=_all_languages(resource, "title"),
        organisations=_all_languages(resource.organisation, "name"),
        themes=theme_names,
        descriptions=[*_all_languages(resource, "description"), kind],
    )
    ranks = theme_ranks()
    order = {
        "map_rank": min((ranks[t.pk] for t in themes if t.pk in ranks), default=UNTHEMED_RANK),
        **sort_titles(title_nl=resource.title_nl, title_en=resource.title_en),
    }
    Resource.objects.filter(pk=resource.pk).update(search_document=document, **order)
    resource.search_document = document
    for name, value in order.items():
        setattr(resource, name, value)
    return document


def sort_titles(*, title_nl: str | None, title_en: str | None) -> dict[str, str]:
    """The map's title order per interface language: folded, English falling back to Dutch."""
    return {
        "sort_title_nl": fold(title_nl or "")[:200],
        "sort_title_en": fold(title_en or title_nl or "")[:200],
    }


def resources_refresh_map_ranks(*, resources=None) -> int:
    """Store every resource's place on the map (the first of its themes in the theme tree)
    in one UPDATE: after the theme tree changed, or after rows were inserted in bulk."""
    ranks = theme_ranks()
    through = Resource.themes.through.objects
    first = (
        through.filter(resource_id=OuterRef("pk"))
        .annotate(
            rank=Case(
                *[When(theme_id=pk, then=Value(rank)) for pk, rank in ranks.items()],
                default=Value(UNTHEMED_RANK),
                output_field=IntegerField(),
            )
        )
        .order_by("rank")
        .values("rank")[:1]
    )
    queryset = Resource.objects.all() if resources is None else resources
    return queryset.update(map_rank=Coalesce(Subquery(first), Value(UNTHEMED_RANK)))


def resources_refresh_search_documents(*, resources: Iterable[Resource]) -> int:
    count = 0
    for resource in resources:
        resource_refresh_search_document(resource=resource)
        count += 1
    return count


@transaction.atomic
def organisation_save(*, organisation: Organisation, actor: User | None = None) -> Organisation:
    """Validate and save an organisation within the actor's region; its resources' search
    documents follow a change of name. Refused (VersionConflict) when `organisation` is
    based on a version that is no longer the stored one."""
    if organisation.pk:
        stored = Organisation.objects.filter(pk=organisation.pk).values("region_id").first()
        if stored:
            check_can_edit(actor=actor, region_id=stored["region_id"])
    check_can_edit(actor=actor, region_id=organisation.region_id)
    organisation.full_clean()
    version_claim(organisation)  # a save based on a stale version is refused
    organisation.save()
    resources_refresh_search_documents(
        resources=organisation.resources.select_related("organisation")
    )
    return organisation


@transaction.atomic
def resource_save(
    *,
    resource: Resource,
    actor: User | None = None,
    themes: Iterable[Theme] | None = None,
    audiences: Iterable[Audience] | None = None,
    professional_groups: Iterable[ProfessionalGroup] | None = None,
    languages: Iterable[Language] | None = None,
) -> Resource:
    """Validate and save a resource within the actor's region (before and after the change),
    set the given classifications (None keeps them) and refresh its search document.
    Refused (VersionConflict) when based on a version that is no longer the stored one."""
    if resource.pk:
        stored = Resource.objects.filter(pk=resource.pk).values("region_id").first()
        if stored:
            check_can_edit(actor=actor, region_id=stored["region_id"])
    check_can_edit(actor=actor, region_id=resource.region_id)
    resource.full_clean()
    version_claim(resource)  # a save based on a stale version is refused
    resource.save()
    for relation, values in (
        (resource.themes, themes),
        (resource.audiences, audiences),
        (resource.professional_groups, professional_groups),
        (resource.languages, languages),
    ):
        if values is not None:
            relation.set(list(values))
    resource_refresh_search_document(resource=resource)
    return resource


@transaction.atomic
def referral_route_save(*, route: ReferralRoute, actor: User | None = None) -> ReferralRoute:
    """Validate and save a referral route within the actor's region. Refused
    (VersionConflict) when based on a version that is no longer the stored one."""
    if route.pk:
        stored = ReferralRoute.objects.filter(pk=route.pk).values("region_id").first()
        if stored:
            check_can_edit(actor=actor, region_id=stored["region_id"])
    check_can_edit(actor=actor, region_id=route.region_id)
    route.full_clean()
    version_claim(route)  # a save based on a stale version is refused
    route.save()
    return route


@transaction.atomic
def theme_save(*, theme: Theme) -> Theme:
    """Themes are national vocabulary (Beheerder, through the admin's permissions); the
    search documents of their resources follow a change of name."""
    theme.full_clean()
    theme.save()
    resources = Resource.objects.filter(themes__in=[theme, *theme.children.all()]).distinct()
    resources_refresh_search_documents(resources=resources.select_related("organisation"))
    resources_refresh_map_ranks()  # a new order or parent moves every theme after it
    return theme


def professional_group_save(*, group: ProfessionalGroup) -> ProfessionalGroup:
    group.full_clean()
    group.save()
    return group


@transaction.atomic
def entry_mark_checked(
    *, entry: Organisation | Resource, actor: User, when=None
) -> Organisation | Resource:
    """ "Vandaag gecontroleerd": a person vouches for the entry now. Records who and when
    (distinct from the last change); only someone who may edit the entry can do this. A link
    failure recorded before this moment no longer puts the entry on the list."""
    if actor is None:
        raise PermissionDenied(_("Alleen een persoon kan een vermelding controleren."))
    check_can_edit(actor=actor, region_id=entry.region_id)
    entry.last_checked_at = when or timezone.now()
    entry.last_checked_by = actor
    entry.full_clean()
    # Checking is not changing: "laatst gewijzigd" stays as it was.
    entry.save(update_fields=["last_checked_at", "last_checked_by"])
    entry.refresh_from_db(fields=["updated_at"])
    return entry


def link_check_record(
    *, entry: Organisation | Resource, ok: bool, error: str = "", when=None
) -> None:
    """Record the result of an automatic link check. Not a content change, so it writes the
    three fields directly (no history record, no "last changed")."""
    when = when or timezone.now()
    type(entry).objects.filter(pk=entry.pk).update(
        link_checked_at=when, link_ok=ok, link_error=("" if ok else error)[:200]
    )
    entry.link_checked_at, entry.link_ok, entry.link_error = when, ok, "" if ok else error[:200]


# --- CSV import (resources/csv_map.py) -------------------------------------------------------

MAP_IMPORT_TTL_MINUTES = 60


class ImportRefused(Exception):
    """The import was not carried out (nothing was saved); the message says why."""


def map_import_region(*, user) -> Region:
    """The region a user imports into: a Coördinator's own. Anyone else is refused."""
    if getattr(user, "role", None) != Role.COORDINATOR or user.region is None:
        raise PermissionDenied(
            _("Alleen een coördinator met een regio kan de sociale kaart importeren.")
        )
    return user.region


def map_import_store(*, user, filename: str, data: bytes) -> MapImport:
    """Keep an uploaded file until it is confirmed: decoded and checked as a whole first
    (csv_map.FileError says why not), owned by the uploader, bound to their region. The
    uploader's earlier uploads and everyone's expired ones go."""
    region = map_import_region(user=user)
    text = csv_map.decode(data)
    csv_map.read_table(text)
    expired = timezone.now() - timedelta(minutes=MAP_IMPORT_TTL_MINUTES)
    MapImport.objects.filter(Q(owner=user) | Q(created_at__lt=expired)).delete()
    return MapImport.objects.create(
        owner=user, region=region, filename=(filename or "")[:200], text=text
    )


def map_import_get(*, user, pk) -> MapImport:
    """The user's own upload, not expired, for their current region (DoesNotExist
    otherwise)."""
    region = map_import_region(user=user)
    expired = timezone.now() - timedelta(minutes=MAP_IMPORT_TTL_MINUTES)
    return MapImport.objects.get(pk=pk, owner=user, region=region, created_at__gte=expired)


def map_import_plan(*, user, upload: MapImport, vocab=None) -> csv_map.ImportPlan:
    from resources.caching import vocabulary

    return csv_map.plan_import(
        user=user, region=upload.region, text=upload.text, vocab=vocab or vocabulary()
    )


def map_import_apply(
    *, user, upload: MapImport, seen_digest: str, ip_address: str | None = None
) -> csv_map.ImportPlan:
    """Carry out the import the Coördinator previewed, all or nothing: new and changed
    resources (and new organisations) as drafts, in one transaction. Refused (ImportRefused,
    nothing saved) while any row has an error, when the plan is no longer the one previewed
    (the file, or a stored entry, changed since), or when an entry is saved by someone else
    between this check and the write (its version). Noted in the security log (counts only)."""
    region = map_import_region(user=user)
    if upload.owner_id != user.pk or upload.region_id != region.pk:
        raise PermissionDenied
    plan = map_import_plan(user=user, upload=upload)
    if not plan.ok:
        raise ImportRefused(_("Het bestand heeft fouten; er is niets geïmporteerd."))
    if plan.digest != seen_digest:
        raise ImportRefused(
            _(
                "Er is intussen iets veranderd aan de vermeldingen in dit bestand. Er is niets "
                "geïmporteerd; bekijk de voorvertoning opnieuw."
            )
        )
    try:
        with transaction.atomic():
            for organisation in plan.organisations:
                organisation_save(organisation=organisation, actor=user)
            for row in plan.to_save:
                resource = row.resource
                resource.organisation = row.organisation
                resource.region = region
                resource.status = Status.CONCEPT
                resource._prefetched_objects_cache = {}
                if row.action == csv_map.CHANGED:
                    resource.version = row.seen_version
                resource_save(resource=resource, actor=user, **row.relations)
            security_event_record(
                kind=SecurityEventKind.MAP_IMPORTED,
                actor=user,
                ip_address=ip_address,
                detail=(
                    f"csv regio={region.pk} nieuw={plan.count(csv_map.NEW)} "
                    f"gewijzigd={plan.count(csv_map.CHANGED)} "
                    f"organisaties={len(plan.organisations)}"
                ),
            )
            upload.delete()
    except VersionConflict as exc:
        raise ImportRefused(
            _(
                "Iemand heeft een vermelding uit dit bestand opgeslagen terwijl u importeerde. "
                "Er is niets geïmporteerd en niets overschreven; bekijk de voorvertoning opnieuw."
            )
        ) from exc
    return plan
