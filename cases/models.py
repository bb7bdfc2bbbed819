from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Region, Team
from cases.constants import (
    AccessAction,
    AgeRange,
    CaseStatus,
    CaseText,
    ConsultationOutcome,
    ConsultedOrganisation,
    FigureDimension,
    Gender,
    ShareLevel,
    Situation,
    StepStatus,
)
from config.concurrency import version_field
from guidance.constants import Answer
from guidance.models import Guide, GuideVersion


class ReferenceCounter(models.Model):
    """The last case number handed out per year, so references are never reused."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last}"


class Case(models.Model):
    """A pseudonymous case preparation: a generated reference, never a client's name.
    Visible to its owner and the team members it is shared with, nobody else."""

    reference = models.CharField(_("kenmerk"), max_length=20, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("eigenaar"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="cases"
    )
    guide_version = models.ForeignKey(
        GuideVersion, verbose_name=_("leidraad (versie)"), on_delete=models.PROTECT
    )
    status = models.CharField(
        _("status"), max_length=30, choices=CaseStatus, default=CaseStatus.VOORBEREIDING
    )
    age_range = models.CharField(_("leeftijd jongere"), max_length=20, choices=AgeRange)
    gender = models.CharField(_("gender jongere"), max_length=20, choices=Gender, blank=True)
    situation = models.CharField(_("wat is er gebeurd"), max_length=30, choices=Situation)
    cultural_context = models.CharField(
        _("culturele of religieuze achtergrond"), max_length=200, blank=True
    )
    parent_languages = models.JSONField(_("talen van de ouders"), default=list, blank=True)
    notes = models.TextField(
        _("aantekeningen"),
        blank=True,
        validators=[MaxLengthValidator(10000), ProhibitNullCharactersValidator()],
    )
    go_ahead_reason = models.TextField(
        _("waarom het gesprek toch doorgaat"),
        blank=True,
        help_text=_("Als de jongere niet weet van het gesprek met de ouders of niet instemt."),
        validators=[MaxLengthValidator(10000), ProhibitNullCharactersValidator()],
    )
    go_ahead_recorded_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Where the worker left off, kept by cases.services with the status, so the case list
    # shows it without loading every case's steps.
    next_step_key = models.SlugField(max_length=80, blank=True, editable=False)
    honour_flagged = models.BooleanField(_("signalen van eergerelateerd geweld"), default=False)
    # A counter orders signals and consultations without trusting clocks: a signal with a
    # higher number than the newest consultation closes the gate again.
    event_seq = models.PositiveIntegerField(default=0, editable=False)
    last_signal_seq = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    last_activity_at = models.DateTimeField(_("laatste activiteit"), auto_now=True)
    closed_at = models.DateTimeField(_("afgerond op"), null=True, blank=True)
    # Optimistic concurrency of what workers type here (details, go-ahead reason): a save
    # based on a stale version gets the conflict page (config/concurrency.py).
    version = version_field()

    class Meta:
        verbose_name = _("casus")
        verbose_name_plural = _("casussen")
        ordering = ["-last_activity_at"]
        indexes = [models.Index(fields=["owner", "-last_activity_at"])]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return reverse("cases:detail", kwargs={"reference": self.reference})


class ScreeningAnswer(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="answers")
    question_key = models.SlugField(_("vraag"), max_length=80)
    answer = models.CharField(_("antwoord"), max_length=10, choices=Answer)
    note = models.TextField(
        _("toelichting"),
        blank=True,
        validators=[MaxLengthValidator(2000), ProhibitNullCharactersValidator()],
    )
    answered_at = models.DateTimeField(_("beantwoord op"), auto_now=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    version = version_field()

    class Meta:
        verbose_name = _("screeningsantwoord")
        verbose_name_plural = _("screeningsantwoorden")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "question_key"], name="cases_one_answer_per_question"
            )
        ]

    def __str__(self):
        return f"{self.case_id}: {self.question_key}"


class ScreeningAnswerChange(models.Model):
    """Append-only trail of changed answers, with the reason (a later 'nee' never clears a
    flag; the change and why are kept)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="answer_changes")
    question_key = models.SlugField(max_length=80)
    old_answer = models.CharField(max_length=10, choices=Answer)
    new_answer = models.CharField(max_length=10, choices=Answer)
    reason = models.TextField(
        _("reden"),
        validators=[MaxLengthValidator(2000), ProhibitNullCharactersValidator()],
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"{self.case_id}: {self.question_key}"


class StepProgress(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="progress")
    step_key = models.SlugField(_("stap"), max_length=80)
    status = models.CharField(
        _("status"), max_length=20, choices=StepStatus, default=StepStatus.OPEN
    )
    notes = models.TextField(
        _("aantekeningen"),
        blank=True,
        validators=[MaxLengthValidator(10000), ProhibitNullCharactersValidator()],
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Notes and status: a save based on a stale version is refused (a row not yet saved
    # counts as version 0).
    version = version_field()

    class Meta:
        verbose_name = _("voortgang van een stap")
        verbose_name_plural = _("voortgang van stappen")
        constraints = [
            models.UniqueConstraint(fields=["case", "step_key"], name="cases_one_progress_per_step")
        ]

    def __str__(self):
        return f"{self.case_id}: {self.step_key}"


class ConsultationQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError(_("Een consultatie wordt nooit gewijzigd."))

    def delete(self):
        raise ValidationError(_("Een consultatie wordt nooit verwijderd."))


class Consultation(models.Model):
    """The advice of Veilig Thuis, the police or LEC EGG. Append-only: a correction is a new
    consultation; the newest one governs the gate. (Enforced in cases.services; the model and
    its queryset refuse changes as well, and a database trigger refuses UPDATE.)"""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consultations")
    consulted_on = models.DateField(_("datum van het advies"))
    organisation = models.CharField(_("organisatie"), max_length=20, choices=ConsultedOrganisation)
    advisor = models.CharField(
        _("adviseur"), max_length=150, help_text=_("Functie of naam van de adviseur.")
    )
    advice_summary = models.TextField(
        _("samenvatting van het advies"),
        validators=[MaxLengthValidator(5000), ProhibitNullCharactersValidator()],
    )
    outcome = models.CharField(_("uitkomst"), max_length=30, choices=ConsultationOutcome)
    young_person_informed = models.BooleanField(
        _("de jongere weet wat er gaat gebeuren"), default=False
    )
    seq = models.PositiveIntegerField(editable=False)
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        verbose_name = _("consultatie")
        verbose_name_plural = _("consultaties")
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(young_person_informed=True),
                name="cases_consultation_young_person_informed",
            )
        ]

    def __str__(self):
        return f"{self.case_id}: {self.get_organisation_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("Een consultatie wordt nooit gewijzigd."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Een consultatie wordt nooit verwijderd."))


class CaseShare(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="shares")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("collega"),
        on_delete=models.CASCADE,
        related_name="case_shares",
    )
    level = models.CharField(_("rechten"), max_length=10, choices=ShareLevel)
    created_at = models.DateTimeField(auto_now_add=True)
    version = version_field()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "user"], name="cases_one_share_per_user")
        ]

    def __str__(self):
        return f"{self.case_id}: {self.user_id}"


class CaseTextVersion(models.Model):
    """One saved state of a free text of a case (the case's notes and background, the
    go-ahead reason, a step's notes, a screening answer's note): who saved it, when, and
    what it said. Kept for every change, shown to who may see the case, and deleted with
    it (CASCADE; the retention purge counts the rows)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="text_history")
    text_kind = models.CharField(_("tekst"), max_length=30, choices=CaseText)
    # The step or question key, for texts that belong to one; blank for the case's own.
    part = models.SlugField(_("onderdeel"), max_length=80, blank=True)
    text = models.TextField(
        _("tekst"),
        blank=True,
        validators=[MaxLengthValidator(10000), ProhibitNullCharactersValidator()],
    )
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opgeslagen door"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    # None when the text was there before its history was kept (who and when unknown).
    saved_at = models.DateTimeField(_("opgeslagen op"), null=True)

    class Meta:
        verbose_name = _("versie van een tekst")
        verbose_name_plural = _("versies van teksten")
        ordering = ["case", "text_kind", "part", "pk"]
        indexes = [models.Index(fields=["case", "text_kind", "part"])]

    def __str__(self):
        return f"{self.case_id}: {self.text_kind} {self.part}".strip()


class AccessLog(models.Model):
    """Who did what with a case, when, from where (NEN 7513 style). Never case content.
    Append-only in the database (cases/migrations/0004). The log outlives its case: the
    retention purge keeps the reference as text and the rows for LOG_RETENTION_YEARS."""

    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="access_log"
    )
    case_reference = models.CharField(_("kenmerk"), max_length=20, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(_("actie"), max_length=20, choices=AccessAction)
    detail = models.CharField(_("onderdeel"), max_length=120, blank=True)
    ip_address = models.GenericIPAddressField(_("IP-adres"), null=True, blank=True)
    at = models.DateTimeField(_("tijdstip"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("toegangslog")
        verbose_name_plural = _("toegangslog")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.case_reference}: {self.action}"


class PurgeRecord(models.Model):
    """What the retention purge deleted: the reference, the case's dates and how many rows of
    each kind went. Never content. Kept as long as the logs (LOG_RETENTION_YEARS)."""

    reference = models.CharField(_("kenmerk"), max_length=20, db_index=True)
    case_created_at = models.DateTimeField(_("casus aangemaakt op"))
    case_closed_at = models.DateTimeField(_("casus afgerond op"))
    purged_at = models.DateTimeField(_("verwijderd op"), db_index=True)
    counts = models.JSONField(_("aantallen"), default=dict)

    class Meta:
        verbose_name = _("verwijderde casus")
        verbose_name_plural = _("verwijderde casussen")
        ordering = ["-purged_at", "-pk"]

    def __str__(self):
        return f"{self.reference} ({self.purged_at:%Y-%m-%d})"


class CaseFigure(models.Model):
    """The policy figures of cases that the retention purge deleted: a count per month the
    cases started, region, guide, dimension and value. No case, reference or id: the figures
    of cases still held are counted from the cases themselves (cases.statistics), these rows
    only carry the deleted ones forward, added in the purge's own transaction."""

    month = models.DateField(_("maand"))
    region = models.ForeignKey(
        Region, verbose_name=_("regio"), on_delete=models.PROTECT, related_name="+"
    )
    guide = models.ForeignKey(
        Guide, verbose_name=_("leidraad"), on_delete=models.PROTECT, related_name="+"
    )
    dimension = models.CharField(_("wat"), max_length=20, choices=FigureDimension)
    value = models.CharField(_("waarde"), max_length=100, blank=True)
    count = models.PositiveIntegerField(_("aantal"), default=0)

    class Meta:
        verbose_name = _("cijfer van verwijderde casussen")
        verbose_name_plural = _("cijfers van verwijderde casussen")
        ordering = ["month", "region", "guide", "dimension", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "region", "guide", "dimension", "value"],
                name="cases_one_figure_per_key",
            )
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.dimension} {self.value}: {self.count}"
