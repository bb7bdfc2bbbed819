from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from config.concurrency import version_field
from config.links import slug_url
from glossary.constants import SOURCES, Category, LabelKind, Status
from glossary.text import fold


class TermQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.GEPUBLICEERD)


class Term(models.Model):
    """A SKOS concept: one preferred label per language, more labels in Label."""

    slug = models.SlugField(_("sleutel"), max_length=80, unique=True)
    pref_label = models.CharField(_("voorkeursterm"), max_length=120)
    definition = models.TextField(
        _("definitie"),
        help_text=_("Een volzin: ‘Exposing is het …’. Markdown."),
        validators=[MaxLengthValidator(5000), ProhibitNullCharactersValidator()],
    )
    note = models.TextField(
        _("toelichting"),
        blank=True,
        help_text=_("Markdown."),
        validators=[MaxLengthValidator(5000), ProhibitNullCharactersValidator()],
    )
    parent_phrasing = models.TextField(
        _("zo zeg je het tegen ouders"),
        blank=True,
        help_text=_("Neutrale woorden, zoals liefde, intimiteit, intieme foto's. Markdown."),
        validators=[MaxLengthValidator(2000), ProhibitNullCharactersValidator()],
    )
    category = models.CharField(_("categorie"), max_length=20, choices=Category)
    related = models.ManyToManyField(
        "self", verbose_name=_("verwante begrippen"), blank=True, symmetrical=True
    )
    broader = models.ForeignKey(
        "self",
        verbose_name=_("breder begrip"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="narrower",
    )
    source = models.CharField(
        _("bron"),
        max_length=60,
        blank=True,
        help_text=_("Nummers van de brondocumenten, bijvoorbeeld ‘001, 002’."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.CONCEPT, db_index=True
    )
    # Folded labels (all languages, hidden ones too) and definitions, for search.
    search_document = models.TextField(_("zoektekst"), blank=True, editable=False)
    updated_at = models.DateTimeField(_("laatst gewijzigd"), auto_now=True)

    # What the content file said and what load_content wrote, hashed per field
    # (config/content.py): a back-office edit is never overwritten by the next load.
    content_hashes = models.JSONField(default=dict, blank=True, editable=False)
    # Optimistic concurrency (config/concurrency.py): a stale save is refused.
    version = version_field()
    objects = TermQuerySet.as_manager()

    class Meta:
        verbose_name = _("begrip")
        verbose_name_plural = _("begrippen")
        ordering = ["pref_label"]

    def __str__(self):
        return self.pref_label

    def get_absolute_url(self):
        return slug_url("glossary:detail", self.slug)

    def clean(self):
        super().clean()
        if self.broader_id and self.broader_id == self.pk:
            raise ValidationError({"broader": _("Een begrip kan niet breder zijn dan zichzelf.")})
        unknown = [code for code in self.source_codes if code not in SOURCES]
        if unknown:
            raise ValidationError(
                {"source": _("Onbekende bron: %(codes)s.") % {"codes": ", ".join(unknown)}}
            )

    @property
    def source_codes(self) -> list[str]:
        return [code.strip() for code in self.source.split(",") if code.strip()]

    @property
    def source_labels(self) -> list[str]:
        return [SOURCES[code] for code in self.source_codes if code in SOURCES]


class Label(models.Model):
    """Every label of a term in one language: preferred (mirrors Term.pref_label_<lang>),
    alternative or hidden. No folded label may belong to two terms in the same language."""

    term = models.ForeignKey(
        Term, verbose_name=_("begrip"), on_delete=models.CASCADE, related_name="labels"
    )
    language = models.CharField(_("taal"), max_length=8)
    kind = models.CharField(_("soort"), max_length=10, choices=LabelKind)
    text = models.CharField(_("tekst"), max_length=120)
    folded = models.CharField(_("vergelijkingsvorm"), max_length=120, editable=False)

    class Meta:
        verbose_name = _("label")
        verbose_name_plural = _("labels")
        ordering = ["language", "kind", "text"]
        constraints = [
            models.UniqueConstraint(
                fields=["language", "folded"], name="glossary_label_unique_per_language"
            ),
            models.CheckConstraint(condition=~Q(text=""), name="glossary_label_text_not_empty"),
        ]

    def __str__(self):
        return self.text

    def clean(self):
        super().clean()
        self.text = " ".join(self.text.split())
        self.folded = fold(self.text)
        if not self.folded:
            raise ValidationError({"text": _("Een label mag niet leeg zijn.")})
        clash = (
            Label.objects.filter(language=self.language, folded=self.folded)
            .exclude(pk=self.pk)
            .select_related("term")
            .first()
        )
        if clash is not None:
            raise ValidationError(
                {
                    "text": _(
                        "‘%(label)s’ is al een label van het begrip ‘%(term)s’ (%(language)s). "
                        "Een label hoort bij één begrip."
                    )
                    % {
                        "label": self.text,
                        "term": clash.term.pref_label,
                        "language": self.language,
                    }
                }
            )
