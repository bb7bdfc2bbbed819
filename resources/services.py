"""Writes for the social map. The region rule (Beheerder edits everything, a Coördinator only
their own region, nobody else anything) is checked here for every write made on behalf of a
person, so the admin, the curation pages and commands cannot bypass it."""

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Case, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from accounts.models import User
from config.concurrency import version_claim
from glossary.text import fold
from resources.constants import LANGUAGES, AudienceCode, Kind
from resources.models import (
    UNTHEMED_RANK,
    Audience,
    Language,
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
