"""What the social map keeps between requests, and when it forgets it.

- The vocabulary (themes with their parents, professional groups, audiences, languages,
  regions): a few dozen rows every map, resource and plan page reads. Kept whole.
- A token naming the current state of the map's content: facet counts (and the routes and
  material a guide step names) are kept per token, scope and filters, so forgetting the
  token makes them all stale at once. The open data API's list pages are kept per token too,
  in a small cache of their own (`resources/api.py`, `_kept_list`).

Every save or delete of a resource, organisation, route or vocabulary row forgets them (signals,
connected in `ResourcesConfig.ready`, so the back office, the services and `load_content`
are all covered). The cache is per process by default: another worker sees a change
within the timeouts below. Bulk inserts bypass signals: `seed_synthetic` runs before the
server starts; whoever else inserts in bulk calls `map_cache_clear()`.
"""

from dataclasses import dataclass

from django.core.cache import cache

from config.caching import version_token

VOCABULARY_KEY = "resources:vocabulary:v1"
MAP_VERSION_KEY = "resources:map-version:v1"
VOCABULARY_TIMEOUT = 300  # seconds
FACETS_TIMEOUT = 300  # seconds: another worker shows a save within five minutes


@dataclass(frozen=True)
class Vocabulary:
    themes: list  # Theme, map order is theme_tree's; each with .parent set (no query)
    groups: list  # ProfessionalGroup in their order
    audiences: dict  # pk -> Audience
    languages: dict  # pk -> Language
    regions: list  # (pk, name) by name

    @property
    def themes_by_pk(self) -> dict:
        return {theme.pk: theme for theme in self.themes}

    @property
    def groups_by_pk(self) -> dict:
        return {group.pk: group for group in self.groups}


def vocabulary() -> Vocabulary:
    """The vocabulary, from the cache (five small queries when it is not there)."""
    found = cache.get(VOCABULARY_KEY)
    if found is not None:
        return found
    from accounts.models import Region
    from resources.models import Audience, Language, ProfessionalGroup, Theme

    themes = list(Theme.objects.order_by("order", "name_nl"))
    by_pk = {theme.pk: theme for theme in themes}
    for theme in themes:
        if theme.parent_id is not None:
            theme.parent = by_pk[theme.parent_id]
    found = Vocabulary(
        themes=themes,
        groups=list(ProfessionalGroup.objects.all()),
        audiences={a.pk: a for a in Audience.objects.all()},
        languages={lang.pk: lang for lang in Language.objects.all()},
        regions=list(Region.objects.order_by("name").values_list("pk", "name")),
    )
    cache.set(VOCABULARY_KEY, found, VOCABULARY_TIMEOUT)
    return found


def map_version() -> str:
    """The token of the map's current content (made when none is cached); no query."""
    return version_token(MAP_VERSION_KEY, FACETS_TIMEOUT)


def scope_key(user) -> str:
    """What of the social map a user may see, as a cache key part (see visible_to)."""
    from accounts.constants import Role

    if user.role == Role.BEHEERDER:
        return "all"
    return f"region-{user.region.pk}" if user.region is not None else "national"


def map_cache_clear(**_signal_arguments) -> None:
    """Forget the vocabulary and every kept facet count (a signal receiver as well): now,
    and again when the transaction commits, so a request that read the old rows meanwhile
    cannot keep them."""
    from django.db import transaction

    keys = [VOCABULARY_KEY, MAP_VERSION_KEY]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def connect_signals() -> None:
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from accounts.models import Region
    from resources.models import (
        Audience,
        Language,
        Organisation,
        ProfessionalGroup,
        ReferralRoute,
        Resource,
        Theme,
    )

    uid = "resources.caching"
    for model in (
        Resource, Organisation, ReferralRoute, Theme, ProfessionalGroup, Audience, Language, Region
    ):  # fmt: skip
        post_save.connect(map_cache_clear, sender=model, dispatch_uid=f"{uid}.save.{model}")
        post_delete.connect(map_cache_clear, sender=model, dispatch_uid=f"{uid}.delete.{model}")
    for relation in ("themes", "audiences", "professional_groups", "languages"):
        through = getattr(Resource, relation).through
        m2m_changed.connect(map_cache_clear, sender=through, dispatch_uid=f"{uid}.m2m.{relation}")
