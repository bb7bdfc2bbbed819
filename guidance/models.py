import functools
import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.db import models
from django.db.models.fields.json import KeyTransform
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from config.concurrency import version_field
from glossary.models import Term
from guidance.constants import Branch, GuideKind, StepKind
from guidance.snapshot import SnapshotError, check_snapshot
from resources.models import ReferralRoute, Resource


class GuideQuerySet(models.QuerySet):
    def guides(self):
        return self.filter(kind=GuideKind.GUIDE)

    def published(self):
        return self.filter(versions__isnull=False).distinct()


class Guide(models.Model):
    """The draft of a guide (or of the shared honour branch). Admins edit the draft; a
    published GuideVersion is an immutable snapshot of it."""

    slug = models.SlugField(_("sleutel"), max_length=80, unique=True)
    kind = models.CharField(_("soort"), max_length=20, choices=GuideKind, default=GuideKind.GUIDE)
    title = models.CharField(_("titel"), max_length=200)
    situation = models.CharField(
        _("situatie"), max_length=300, blank=True, help_text=_("Wanneer gebruikt u deze leidraad?")
    )
    introduction = models.TextField(
        _("inleiding"),
        blank=True,
        help_text=_("Markdown."),
        validators=[MaxLengthValidator(10000), ProhibitNullCharactersValidator()],
    )
    honour_branch = models.ForeignKey(
        "self",
        verbose_name=_("route bij eergerelateerd geweld"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="used_by",
        limit_choices_to={"kind": GuideKind.HONOUR_BRANCH},
        help_text=_(
            "Met een route begint de leidraad met de screeningsvragen op signalen van "
            "eergerelateerd geweld."
        ),
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    updated_at = models.DateTimeField(_("laatst gewijzigd"), auto_now=True)

    # What the content file said and what load_content wrote, hashed per field
    # (config/content.py): a back-office edit is never overwritten by the next load.
    content_hashes = models.JSONField(default=dict, blank=True, editable=False)
    # Optimistic concurrency (config/concurrency.py): a stale save is refused.
    version = version_field()
    objects = GuideQuerySet.as_manager()

    class Meta:
        verbose_name = _("leidraad")
        verbose_name_plural = _("leidraden")
        ordering = ["order", "title"]
        permissions = [("publish_guide", _("Kan een leidraad publiceren"))]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("guidance:guide", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if self.kind == GuideKind.HONOUR_BRANCH and self.honour_branch_id:
            raise ValidationError(
                {"honour_branch": _("Een route bij eergerelateerd geweld heeft zelf geen route.")}
            )


class Step(models.Model):
    guide = models.ForeignKey(
        Guide, verbose_name=_("leidraad"), on_delete=models.CASCADE, related_name="steps"
    )
    key = models.SlugField(
        _("sleutel"), max_length=80, help_text=_("Vast: casussen verwijzen ernaar.")
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    title = models.CharField(_("titel"), max_length=200)
    body = models.TextField(
        _("tekst"),
        blank=True,
        help_text=_("Markdown."),
        validators=[MaxLengthValidator(20000), ProhibitNullCharactersValidator()],
    )
    kind = models.CharField(_("soort stap"), max_length=30, choices=StepKind)
    involves_parent_contact = models.BooleanField(
        _("contact met ouders"),
        default=False,
        help_text=_("Op slot zolang een casus wacht op advies van Veilig Thuis."),
    )
    branch = models.CharField(_("geldt"), max_length=20, choices=Branch, default=Branch.ALWAYS)
    may_be_not_applicable = models.BooleanField(_("mag ‘niet van toepassing’ zijn"), default=False)
    checklist = models.TextField(
        _("checklist"),
        blank=True,
        help_text=_("Eén punt per regel."),
        validators=[MaxLengthValidator(5000), ProhibitNullCharactersValidator()],
    )
    dos = models.TextField(
        _("wel doen"),
        blank=True,
        help_text=_("Eén tip per regel."),
        validators=[MaxLengthValidator(5000), ProhibitNullCharactersValidator()],
    )
    donts = models.TextField(
        _("niet doen"),
        blank=True,
        help_text=_("Eén tip per regel."),
        validators=[MaxLengthValidator(5000), ProhibitNullCharactersValidator()],
    )
    terms = models.ManyToManyField(Term, verbose_name=_("begrippen"), blank=True)
    routes = models.ManyToManyField(
        ReferralRoute,
        verbose_name=_("verwijsroutes"),
        blank=True,
        help_text=_("Landelijke routes; de regionale routes voor dezelfde situatie komen erbij."),
    )
    resources = models.ManyToManyField(Resource, verbose_name=_("materiaal"), blank=True)

    # What the content file said and what load_content wrote, hashed per field
    # (config/content.py): a back-office edit is never overwritten by the next load.
    content_hashes = models.JSONField(default=dict, blank=True, editable=False)
    # Optimistic concurrency (config/concurrency.py): a stale save is refused.
    version = version_field()

    class Meta:
        verbose_name = _("stap")
        verbose_name_plural = _("stappen")
        ordering = ["guide", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["guide", "key"], name="guidance_step_key_per_guide"),
        ]

    def __str__(self):
        return self.title


class ScreeningQuestion(models.Model):
    """A question on signals of honour-related violence, answered ja / nee / twijfel."""

    guide = models.ForeignKey(
        Guide,
        verbose_name=_("route"),
        on_delete=models.CASCADE,
        related_name="questions",
        limit_choices_to={"kind": GuideKind.HONOUR_BRANCH},
    )
    key = models.SlugField(_("sleutel"), max_length=80)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    text = models.CharField(_("vraag"), max_length=300)
    help_text = models.TextField(
        _("uitleg"),
        blank=True,
        validators=[MaxLengthValidator(2000), ProhibitNullCharactersValidator()],
    )
    is_honour_signal = models.BooleanField(
        _("signaal"),
        default=True,
        help_text=_("Ja of twijfel op deze vraag is een signaal van eergerelateerd geweld."),
    )

    # What the content file said and what load_content wrote, hashed per field
    # (config/content.py): a back-office edit is never overwritten by the next load.
    content_hashes = models.JSONField(default=dict, blank=True, editable=False)
    # Optimistic concurrency (config/concurrency.py): a stale save is refused.
    version = version_field()

    class Meta:
        verbose_name = _("screeningsvraag")
        verbose_name_plural = _("screeningsvragen")
        ordering = ["guide", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["guide", "key"], name="guidance_question_key_per_guide"
            ),
        ]

    def __str__(self):
        return self.text


NOTE_MAX_LENGTH = 300


@functools.lru_cache(maxsize=32)
def _check_snapshot_text(raw: str) -> None:
    """check_snapshot() of a snapshot as the database sent it (JSON text), remembered per
    text: a case page reads its guide version on every request, and a published version never
    changes. Keyed by the text itself, so a changed or restored row is checked again; a
    malformed one raises every time (an exception is not remembered). The caller decodes its
    own copy, so no request shares a dict with another."""
    check_snapshot(json.loads(raw))


class SnapshotField(models.JSONField):
    """A guide snapshot: JSON with the shape of guidance.snapshot.GuideSnapshot, checked
    when read from the database (SnapshotError names the bad value) and when validated
    before a write (ValidationError)."""

    def from_db_value(self, value, expression, connection):
        raw = value
        value = super().from_db_value(value, expression, connection)
        if value is None or isinstance(expression, KeyTransform):
            return value  # a key of the snapshot (`snapshot__steps`), not a snapshot
        if isinstance(raw, str):
            _check_snapshot_text(raw)  # each published text checked once per process
            return value
        return check_snapshot(value)

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        try:
            check_snapshot(value)
        except SnapshotError as error:
            raise ValidationError(str(error), code="malformed_snapshot") from error


class GuideVersion(models.Model):
    """A published, immutable snapshot of a guide with its steps, its honour branch and
    the screening questions. A case keeps the version it started with."""

    guide = models.ForeignKey(
        Guide, verbose_name=_("leidraad"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("versie"))
    snapshot = SnapshotField(_("inhoud"), editable=False)
    note = models.CharField(
        _("wat er verandert"),
        max_length=NOTE_MAX_LENGTH,
        help_text=_("Kort: wat is er anders dan in de vorige versie?"),
    )
    published_at = models.DateTimeField(_("gepubliceerd op"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gepubliceerd door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("gepubliceerde versie")
        verbose_name_plural = _("gepubliceerde versies")
        ordering = ["guide", "-number"]
        get_latest_by = "number"
        constraints = [
            models.UniqueConstraint(
                fields=["guide", "number"], name="guidance_version_number_per_guide"
            ),
        ]

    def __str__(self):
        return f"{self.guide} — {self.number}"

    def save(self, *args, **kwargs):
        # Frozen: a published version is never changed, whoever asks.
        if self.pk is not None:
            raise ValidationError(_("Een gepubliceerde versie kan niet worden gewijzigd."))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return (
            reverse("guidance:guide", kwargs={"slug": self.guide.slug}) + f"?versie={self.number}"
        )
