"""The social map, shaped after Open Referral HSDS 3.0: Organisation, Resource (an HSDS
"service"), the vocabularies that classify resources, and ReferralRoute.

Region scoping (empty region = national) is a QuerySet concern: every read for a person goes
through `visible_to(user)` (product pages) or `admin_visible_to(user)` / `editable_by(user)`
(back office), never through a template condition.
"""

import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    EmailValidator,
    MaxLengthValidator,
    ProhibitNullCharactersValidator,
)
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modeltranslation.settings import AVAILABLE_LANGUAGES
from modeltranslation.utils import build_localized_fieldname

from accounts.constants import Role
from accounts.models import Region
from config.concurrency import version_field
from config.links import slug_url
from glossary.constants import SOURCES
from glossary.sanitize import is_http_url
from resources.constants import (
    LANGUAGE_CHOICES,
    LANGUAGES,
    AudienceCode,
    Cost,
    Kind,
    ReligiousContext,
    Situation,
    Status,
    Urgency,
)
from resources.parent_wording import forbidden_words

PARENT_TEXT_HELP = _(
    "Korte uitleg in eenvoudige taal (B1) voor de folder voor ouders. Noem nooit "
    "eergerelateerd geweld, Veilig Thuis, een casus of signalen. Leeg: kan niet in de folder."
)

# map_rank of a resource without a theme: after every theme.
UNTHEMED_RANK = 1_000_000

_PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]{1,28}[0-9]$")


def validate_http_url(value: str) -> None:
    """Only absolute http(s) addresses: no javascript:, data:, mailto: or ftp: links."""
    if value and not is_http_url(value):
        raise ValidationError(
            _("Alleen een webadres dat begint met http:// of https:// is toegestaan."),
            code="http_only",
        )


def validate_phone(value: str) -> None:
    if value and not _PHONE.match(value.strip()):
        raise ValidationError(
            _("Vul een telefoonnummer in met alleen cijfers, spaties, streepjes of een +."),
            code="phone",
        )


def validate_contact(value: str) -> None:
    """A route's contact is a phone number, an e-mail address or an http(s) address."""
    value = (value or "").strip()
    if not value:
        return
    if "@" in value and "://" not in value:
        EmailValidator(message=_("Vul een geldig e-mailadres in."))(value)
        return
    if _PHONE.match(value) or value.isdigit():
        return
    if not is_http_url(value):
        raise ValidationError(
            _(
                "Vul een telefoonnummer, een e-mailadres of een webadres dat begint met "
                "http:// of https:// in."
            ),
            code="contact",
        )


def validate_parent_text(obj, errors: dict) -> None:
    """A text for parents never names what a handout must not name (see parent_wording)."""
    for code, _name in settings.LANGUAGES:
        words = forbidden_words(getattr(obj, f"parent_text_{code}", ""))
        if words:
            errors[f"parent_text_{code}"] = _(
                "Deze tekst gaat mee naar huis en mag dit niet noemen: %(words)s."
            ) % {"words": ", ".join(words)}


def _role(user) -> Role | None:
    return getattr(user, "role", None) if getattr(user, "is_authenticated", False) else None


def region_editable_by(user, region_id: int | None) -> bool:
    """The write rule of the social map: Beheerder edits everything; a Coördinator edits only
    entries of their own region (national ones are read-only for them); nobody else edits."""
    role = _role(user)
    if role == Role.BEHEERDER:
        return True
    if role == Role.COORDINATOR:
        own = user.region
        return own is not None and region_id is not None and region_id == own.pk
    return False


class RegionScopedQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.GEPUBLICEERD)

    def for_region(self, region: Region | None):
        """National entries plus those of `region`."""
        if region is None:
            return self.filter(region__isnull=True)
        return self.filter(Q(region__isnull=True) | Q(region=region))

    def _scope_for(self, user):
        # Beheerder works across regions; everyone else sees national + own region.
        if _role(user) == Role.BEHEERDER:
            return self.all()
        return self.for_region(getattr(user, "region", None))

    def admin_visible_to(self, user):
        """Back office lists: Beheerder all; Coördinator national + own region; others none."""
        role = _role(user)
        if role == Role.BEHEERDER:
            return self.all()
        if role == Role.COORDINATOR:
            return self.for_region(user.region)
        return self.none()

    def editable_by(self, user):
        role = _role(user)
        if role == Role.BEHEERDER:
            return self.all()
        if role == Role.COORDINATOR and user.region is not None:
            return self.filter(region=user.region)
        return self.none()


class OrganisationQuerySet(RegionScopedQuerySet):
    def visible_to(self, user):
        """Product pages: published, national + the user's region (Beheerder: all regions)."""
        return self._scope_for(user).published()


class ResourceQuerySet(RegionScopedQuerySet):
    def visible_to(self, user):
        """Product pages: published resources of a published organisation, national + the
        user's region (Beheerder: all regions). Archived entries never."""
        return self._scope_for(user).published().filter(organisation__status=Status.GEPUBLICEERD)


class ReferralRouteQuerySet(RegionScopedQuerySet):
    def visible_to(self, user):
        """Routes in the user's scope whose organisation (and resource, if any) is published."""
        return (
            self._scope_for(user)
            .filter(organisation__status=Status.GEPUBLICEERD)
            .filter(Q(resource__isnull=True) | Q(resource__status=Status.GEPUBLICEERD))
        )


class Theme(models.Model):
    """A theme of the overview map; at most two levels (Preventieve aanpak → Onderwijs)."""

    slug = models.SlugField(_("sleutel"), max_length=80, unique=True)
    name = models.CharField(_("naam"), max_length=120)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("hoofdthema"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    # What the content file said and what load_content wrote, hashed per field
    # (config/content.py): a back-office edit is never overwritten by the next load.
    content_hashes = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.parent_id is None:
            return
        if self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": _("Een thema kan niet zijn eigen hoofdthema zijn.")})
        if self.parent.parent_id is not None:
            raise ValidationError(
                {"parent": _("Kies een hoofdthema: thema's hebben hoogstens twee niveaus.")}
            )
        if self.pk and self.children.exists():
            raise ValidationError(
                {"parent": _("Dit thema heeft zelf subthema's en kan geen subthema worden.")}
            )


def localized_names(field: str) -> list[str]:
    """The per-language columns of a translated field (modeltranslation), for only() across a
    relation, which modeltranslation does not expand: "organisation__name" gives
    ["organisation__name_nl", "organisation__name_en"]."""
    return [build_localized_fieldname(field, code) for code in AVAILABLE_LANGUAGES]


def choice_label(choices: type[models.TextChoices], value: str) -> str:
    """What get_FOO_display() shows, read from the enum: Django's hashes every choice on every
    call, and a map page names a few hundred audiences and kinds (an unknown value as is)."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


class Audience(models.Model):
    """Who a resource is for (professionals, ouders, jongeren, onderwijs)."""

    code = models.CharField(_("code"), max_length=20, choices=AudienceCode, unique=True)

    class Meta:
        verbose_name = _("doelgroep")
        verbose_name_plural = _("doelgroepen")
        ordering = ["code"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return choice_label(AudienceCode, self.code)


class Language(models.Model):
    """A language a resource exists in (ISO 639-1)."""

    code = models.CharField(_("code"), max_length=8, choices=LANGUAGE_CHOICES, unique=True)

    class Meta:
        verbose_name = _("taal")
        verbose_name_plural = _("talen")
        ordering = ["code"]

    def __str__(self):
        return str(LANGUAGES.get(self.code, self.code))

    @property
    def name(self) -> str:
        return str(self)


class ProfessionalGroup(models.Model):
    slug = models.SlugField(_("sleutel"), max_length=80, unique=True)
    name = models.CharField(_("naam"), max_length=120)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    # What the content file said and what load_content wrote, hashed per field
    # (config/content.py): a back-office edit is never overwritten by the next load.
    content_hashes = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = _("beroepsgroep")
        verbose_name_plural = _("beroepsgroepen")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class Curated(models.Model):
    """What the coordinator's "te controleren" list needs: when a person last checked the
    entry (distinct from when it last changed) and the result of the last link check."""

    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.CONCEPT, db_index=True
    )
    last_checked_at = models.DateTimeField(_("laatst gecontroleerd op"), null=True, blank=True)
    last_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("laatst gecontroleerd door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    link_checked_at = models.DateTimeField(_("link gecontroleerd op"), null=True, blank=True)
    link_ok = models.BooleanField(_("link werkt"), null=True, blank=True)
    link_error = models.CharField(_("linkfout"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("laatst gewijzigd"), auto_now=True)

    # What the content file said and what load_content wrote, hashed per field
    # (config/content.py): a back-office edit is never overwritten by the next load.
    content_hashes = models.JSONField(default=dict, blank=True, editable=False)
    # Optimistic concurrency (config/concurrency.py): a stale save is refused.
    version = version_field()

    # Provenance of an entry taken from another instance's open map (resources/sync.py):
    # empty for the region's own entries. An entry with a source is read-only here; the sync
    # keeps it equal to the source and archives it when the source no longer has it.
    remote_source = models.ForeignKey(
        "resources.Source",
        verbose_name=_("bron"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    remote_id = models.UUIDField(_("id bij de bron"), null=True, blank=True, editable=False)
    remote_fetched_at = models.DateTimeField(
        _("opgehaald op"), null=True, blank=True, editable=False
    )
    remote_assured_date = models.DateField(
        _("gecontroleerd bij de bron op"), null=True, blank=True, editable=False
    )
    # What the source said, hashed: an unchanged entry is not written again (idempotent).
    remote_hash = models.CharField(max_length=64, blank=True, editable=False)
    remote_removed_at = models.DateTimeField(
        _("verdwenen bij de bron op"), null=True, blank=True, editable=False
    )

    class Meta:
        abstract = True

    @property
    def is_remote(self) -> bool:
        return self.remote_source_id is not None

    @property
    def link_failed(self) -> bool:
        """A failed link check counts until a person checks the entry again."""
        if self.link_ok is not False:
            return False
        return self.last_checked_at is None or (
            self.link_checked_at is not None and self.link_checked_at >= self.last_checked_at
        )


class Organisation(Curated):
    uuid = models.UUIDField(_("id (open data)"), default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("sleutel"), max_length=80, unique=True)
    name = models.CharField(_("naam"), max_length=160)
    description = models.TextField(
        _("beschrijving"),
        blank=True,
        help_text=_("Markdown."),
        validators=[MaxLengthValidator(10000), ProhibitNullCharactersValidator()],
    )
    website = models.URLField(
        _("website"), max_length=500, blank=True, validators=[validate_http_url]
    )
    phone = models.CharField(_("telefoon"), max_length=40, blank=True, validators=[validate_phone])
    email = models.EmailField(_("e-mailadres"), blank=True)
    chat_url = models.URLField(
        _("chatadres"), max_length=500, blank=True, validators=[validate_http_url]
    )
    visiting_address = models.TextField(
        _("bezoekadres"),
        blank=True,
        help_text=_("Wordt nooit getoond als het adres vertrouwelijk is."),
        validators=[MaxLengthValidator(500), ProhibitNullCharactersValidator()],
    )
    address_confidential = models.BooleanField(
        _("adres is vertrouwelijk"),
        default=False,
        help_text=_("Dan tonen we alleen een openbaar contactpunt (zoals bij opvang)."),
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("regio"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        help_text=_("Leeg = landelijk."),
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["name"]
        indexes = [models.Index(fields=["name_nl", "id"], name="organisation_name_nl")]
        constraints = [
            models.UniqueConstraint(
                fields=["remote_source", "remote_id"], name="organisation_remote_unique"
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("resources:organisation", self.slug)

    @property
    def public_address(self) -> str:
        return "" if self.address_confidential else self.visiting_address

    @property
    def addresses(self) -> list[str]:
        return [url for url in (self.website, self.chat_url) if url]


class Resource(Curated):
    """A resource of the social map (HSDS "service"): material, a training, a helpline."""

    uuid = models.UUIDField(_("id (open data)"), default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("sleutel"), max_length=100, unique=True)
    title = models.CharField(_("titel"), max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        related_name="resources",
    )
    kind = models.CharField(_("soort"), max_length=20, choices=Kind)
    description = models.TextField(
        _("beschrijving"),
        help_text=_("Voor professionals; komt nooit in de folder voor ouders. Markdown."),
        validators=[MaxLengthValidator(10000), ProhibitNullCharactersValidator()],
    )
    parent_text = models.TextField(
        _("tekst voor ouders"),
        blank=True,
        help_text=PARENT_TEXT_HELP,
        validators=[MaxLengthValidator(5000), ProhibitNullCharactersValidator()],
    )
    url = models.URLField(
        _("adres"),
        max_length=500,
        blank=True,
        validators=[validate_http_url],
        help_text=_("Het webadres; leeg als alleen de organisatie bekend is."),
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("thema's"), related_name="resources", blank=True
    )
    audiences = models.ManyToManyField(
        Audience, verbose_name=_("doelgroepen"), related_name="resources", blank=True
    )
    professional_groups = models.ManyToManyField(
        ProfessionalGroup, verbose_name=_("beroepsgroepen"), related_name="resources", blank=True
    )
    languages = models.ManyToManyField(
        Language,
        verbose_name=_("talen"),
        related_name="resources",
        blank=True,
        help_text=_("De talen waarin het materiaal bestaat."),
    )
    religious_context = models.JSONField(
        _("religieuze context"),
        default=list,
        blank=True,
        help_text=_("Alleen waar de bron dat zegt."),
    )
    cost = models.CharField(_("kosten"), max_length=20, choices=Cost, default=Cost.ONBEKEND)
    anonymous_contact = models.BooleanField(_("anoniem contact mogelijk"), default=False)
    alert = models.TextField(
        _("tijdelijke melding"),
        blank=True,
        help_text=_("Bijvoorbeeld: tijdelijk niet bereikbaar. Leeg als er niets is."),
        validators=[MaxLengthValidator(2000), ProhibitNullCharactersValidator()],
    )
    source = models.CharField(
        _("bron"),
        max_length=60,
        blank=True,
        help_text=_("Nummers van de brondocumenten, bijvoorbeeld ‘001, 002’."),
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("regio"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resources",
        help_text=_("Leeg = landelijk."),
    )
    # An entry from a source that a Coördinator linked to (or took into) a local entry on the
    # review list of the sources (resources/sync.py).
    remote_local = models.ForeignKey(
        "self",
        verbose_name=_("gekoppeld aan"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="linked_remote_entries",
    )
    # Folded title | organisation | themes | description, all languages (see services).
    search_document = models.TextField(_("zoektekst"), blank=True, editable=False)
    # The map's order, kept by the services with the search document, so the database can page
    # through the map along an index: the place of the resource's first theme in the theme
    # tree, then the folded title per interface language (English falls back to Dutch).
    map_rank = models.PositiveIntegerField(
        _("plaats op de kaart"), default=UNTHEMED_RANK, editable=False
    )
    sort_title_nl = models.CharField(max_length=200, blank=True, editable=False)
    sort_title_en = models.CharField(max_length=200, blank=True, editable=False)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("materiaal")
        verbose_name_plural = _("materialen")
        ordering = ["title"]
        indexes = [
            models.Index(fields=["map_rank", "sort_title_nl", "id"], name="resource_map_nl"),
            models.Index(fields=["map_rank", "sort_title_en", "id"], name="resource_map_en"),
            # The HSDS list and the parents' materials page along the Dutch title.
            models.Index(fields=["title_nl", "id"], name="resource_title_nl"),
            # Material with a text for parents (only that may go into a handout), along the
            # Dutch title: a case's plan walks it instead of every resource in a language.
            models.Index(
                fields=["title_nl", "id"],
                name="resource_parents_title_nl",
                condition=Q(parent_text_nl__gt=""),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["remote_source", "remote_id"], name="resource_remote_unique"
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return slug_url("resources:resource", self.slug)

    @property
    def kind_label(self) -> str:
        """get_kind_display(), as choice_label() reads it."""
        return choice_label(Kind, self.kind)

    def clean(self):
        super().clean()
        errors = {}
        unknown = [c for c in self.religious_context or [] if c not in ReligiousContext.values]
        if not isinstance(self.religious_context, list) or unknown:
            errors["religious_context"] = _("Onbekende religieuze context.")
        unknown_sources = [code for code in self.source_codes if code not in SOURCES]
        if unknown_sources:
            errors["source"] = _("Onbekende bron: %(codes)s.") % {
                "codes": ", ".join(unknown_sources)
            }
        organisation = self.organisation if self.organisation_id else None
        if organisation and organisation.region_id and organisation.region_id != self.region_id:
            errors["region"] = _(
                "Materiaal van een regionale organisatie hoort bij dezelfde regio (%(region)s)."
            ) % {"region": organisation.region}
        validate_parent_text(self, errors)
        if errors:
            raise ValidationError(errors)

    @property
    def source_codes(self) -> list[str]:
        return [code.strip() for code in self.source.split(",") if code.strip()]

    @property
    def link(self) -> str:
        """The address to give: the resource's own, else its organisation's website."""
        return self.url or self.organisation.website

    @property
    def religious_context_labels(self) -> list[str]:
        return [ReligiousContext(c).label for c in self.religious_context or []]


class ReferralRoute(models.Model):
    """ "In situation X, refer to organisation Y via channel Z, urgency U." National routes are
    edited by Beheerder, regional ones by the region's Coördinator."""

    uuid = models.UUIDField(_("id (open data)"), default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("sleutel"), max_length=100, unique=True)
    situation = models.CharField(_("situatie"), max_length=40, choices=Situation)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        related_name="referral_routes",
    )
    resource = models.ForeignKey(
        Resource,
        verbose_name=_("materiaal"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referral_routes",
    )
    channel = models.CharField(
        _("kanaal"), max_length=120, help_text=_("Bijvoorbeeld telefoon, chat, bezoek.")
    )
    contact = models.CharField(
        _("contact"),
        max_length=200,
        blank=True,
        validators=[validate_contact],
        help_text=_("Telefoonnummer, e-mailadres of webadres (http:// of https://)."),
    )
    urgency = models.CharField(
        _("urgentie"), max_length=20, choices=Urgency, default=Urgency.REGULIER
    )
    conditions = models.TextField(
        _("voorwaarden"),
        blank=True,
        help_text=_("Wanneer en voor wie. Markdown."),
        validators=[MaxLengthValidator(5000), ProhibitNullCharactersValidator()],
    )
    parent_text = models.TextField(
        _("tekst voor ouders"),
        blank=True,
        help_text=PARENT_TEXT_HELP,
        validators=[MaxLengthValidator(5000), ProhibitNullCharactersValidator()],
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    region = models.ForeignKey(
        Region,
        verbose_name=_("regio"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referral_routes",
        help_text=_("Leeg = landelijk."),
    )
    updated_at = models.DateTimeField(_("laatst gewijzigd"), auto_now=True)

    # What the content file said and what load_content wrote, hashed per field
    # (config/content.py): a back-office edit is never overwritten by the next load.
    content_hashes = models.JSONField(default=dict, blank=True, editable=False)
    # Optimistic concurrency (config/concurrency.py): a stale save is refused.
    version = version_field()
    objects = ReferralRouteQuerySet.as_manager()

    class Meta:
        verbose_name = _("verwijsroute")
        verbose_name_plural = _("verwijsroutes")
        ordering = ["situation", "order"]

    def __str__(self):
        return f"{self.get_situation_display()}: {self.organisation}"

    def clean(self):
        super().clean()
        errors = {}
        if (
            self.resource_id
            and self.organisation_id
            and self.resource.organisation_id != self.organisation_id
        ):
            errors["resource"] = _("Dit materiaal hoort niet bij de gekozen organisatie.")
        if self.organisation_id:
            org_region = self.organisation.region_id
            if org_region and org_region != self.region_id:
                errors["region"] = _(
                    "Een route naar een regionale organisatie hoort bij dezelfde regio."
                )
        validate_parent_text(self, errors)
        if errors:
            raise ValidationError(errors)

    @property
    def contact_kind(self) -> str:
        value = self.contact.strip()
        if not value:
            return ""
        if is_http_url(value):
            return "url"
        if "@" in value:
            return "email"
        return "phone"

    @property
    def contact_tel(self) -> str:
        return re.sub(r"[^0-9+]", "", self.contact)


# --- Sources: other instances' open maps (resources/sync.py) -------------------------------


class SyncStatus(models.TextChoices):
    NEVER = "nooit", _("Nog niet gesynchroniseerd")
    OK = "ok", _("Gelukt")
    ERROR = "fout", _("Mislukt")


class Source(models.Model):
    """Another Gesprekswijzer's (or any HSDS 3.0) open map that this instance subscribes to:
    the address of its `/api/hsds/` base and the region its entries belong to here. Managed
    by the Beheerder; `manage.py sync_sources` (or the back office's action) takes it in."""

    name = models.CharField(_("naam"), max_length=120)
    base_url = models.URLField(
        _("adres van de HSDS-API"),
        max_length=500,
        unique=True,
        validators=[validate_http_url],
        help_text=_("Het adres van /api/hsds/ van de andere omgeving, bijvoorbeeld "
                    "https://regio.example.nl/api/hsds/."),
    )  # fmt: skip
    region = models.ForeignKey(
        Region,
        verbose_name=_("regio"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sources",
        help_text=_(
            "De regio waar de vermeldingen van deze bron hier bij horen. Leeg = landelijk."
        ),
    )
    active = models.BooleanField(
        _("actief"), default=True, help_text=_("Alleen actieve bronnen worden gesynchroniseerd.")
    )
    last_sync_at = models.DateTimeField(_("laatst gesynchroniseerd"), null=True, editable=False)
    last_sync_status = models.CharField(
        _("resultaat"), max_length=10, choices=SyncStatus, default=SyncStatus.NEVER, editable=False
    )
    last_sync_error = models.TextField(_("fout"), blank=True, editable=False)
    # Counts and per-item warnings (unknown taxonomy terms) of the last sync.
    last_sync_report = models.JSONField(_("verslag"), default=dict, blank=True, editable=False)
    last_success_at = models.DateTimeField(_("laatst gelukt"), null=True, editable=False)
    version = version_field()

    class Meta:
        verbose_name = _("bron")
        verbose_name_plural = _("bronnen")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.base_url and not self.base_url.endswith("/"):
            self.base_url += "/"


class ReviewKind(models.TextChoices):
    NEW = "nieuw", _("Nieuw bij de bron")
    CHANGED = "gewijzigd", _("Gewijzigd bij de bron")


class ReviewStatus(models.TextChoices):
    OPEN = "open", _("Te beoordelen")
    RESOLVED = "afgehandeld", _("Afgehandeld")
    WITHDRAWN = "vervallen", _("Vervallen (verdwenen bij de bron)")


class ReviewDecision(models.TextChoices):
    KEEP_LOCAL = "eigen", _("Eigen vermelding houden")
    TAKE_REMOTE = "bron", _("Overnemen van de bron")
    LINK = "koppelen", _("Allebei tonen, gekoppeld")


class SourceReviewQuerySet(models.QuerySet):
    def for_user(self, user):
        """Beheerder: every review; Coördinator: those of their own region; others none."""
        role = _role(user)
        if role == Role.BEHEERDER:
            return self.all()
        if role == Role.COORDINATOR and user.region is not None:
            return self.filter(region=user.region)
        return self.none()


class SyncReview(models.Model):
    """A remote entry that touches a local one (same website, name or phone): the
    Coördinator of the region chooses to keep the local entry, take the remote content into
    it, or show both linked. Nothing local changes before that choice; who chose what, and
    when, stays on the row."""

    source = models.ForeignKey(
        Source, verbose_name=_("bron"), on_delete=models.CASCADE, related_name="reviews"
    )
    remote = models.ForeignKey(
        Resource,
        verbose_name=_("vermelding van de bron"),
        on_delete=models.CASCADE,
        related_name="remote_reviews",
    )
    local = models.ForeignKey(
        Resource,
        verbose_name=_("eigen vermelding"),
        on_delete=models.CASCADE,
        related_name="local_reviews",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("regio"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("soort"), max_length=10, choices=ReviewKind)
    reasons = models.JSONField(_("overeenkomst"), default=list, blank=True)
    remote_hash = models.CharField(max_length=64)
    status = models.CharField(
        _("status"), max_length=12, choices=ReviewStatus, default=ReviewStatus.OPEN
    )
    decision = models.CharField(_("keuze"), max_length=10, choices=ReviewDecision, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beoordeeld door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("beoordeeld op"), null=True, blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    version = version_field()

    objects = SourceReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("beoordeling van een bron")
        verbose_name_plural = _("beoordelingen van bronnen")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status", "region"], name="syncreview_status_region")]

    def __str__(self):
        return f"{self.remote} ↔ {self.local}"


class MapImport(models.Model):
    """A CSV file a Coördinator uploaded, kept between the preview and the confirmation (see
    resources/csv_map.py): the decoded text, size-limited, owned by the uploader and bound
    to their region. Never in a URL or the session; deleted on confirmation and after
    MAP_IMPORT_TTL_MINUTES."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", editable=False
    )
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", editable=False)
    filename = models.CharField(max_length=200, blank=True, editable=False)
    text = models.TextField(editable=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)

    class Meta:
        verbose_name = _("CSV-import")
        verbose_name_plural = _("CSV-imports")

    def __str__(self):
        return self.filename or str(self.pk)
