from django.db import models
from django.utils.translation import gettext_lazy as _


class StepKind(models.TextChoices):
    KENNIS = "kennis", _("Kennis")
    VOORBEREIDING = "voorbereiding", _("Voorbereiding")
    SCREENING = "screening", _("Screening")
    CONSULTATIE = "consultatie", _("Consultatie")
    GESPREK_MET_OUDERS = "gesprek_met_ouders", _("Gesprek met ouders")
    VERWIJZING = "verwijzing", _("Verwijzing")
    NAZORG = "nazorg", _("Nazorg")


class Branch(models.TextChoices):
    """When a step applies, by the outcome of the screening on honour-related violence."""

    ALWAYS = "always", _("Altijd")
    HONOUR = "honour", _("Alleen bij signalen van eergerelateerd geweld")
    NOT_HONOUR = "not_honour", _("Alleen zonder signalen van eergerelateerd geweld")


class GuideKind(models.TextChoices):
    GUIDE = "guide", _("Gespreksleidraad")
    HONOUR_BRANCH = "honour_branch", _("Route bij eergerelateerd geweld")


class Answer(models.TextChoices):
    JA = "ja", _("Ja")
    NEE = "nee", _("Nee")
    TWIJFEL = "twijfel", _("Twijfel")


class ScreeningOutcome(models.TextChoices):
    FLAGGED = "flagged", _("Signalen van eergerelateerd geweld")
    CLEAR = "clear", _("Geen signalen")
    INCOMPLETE = "incomplete", _("Screening niet af")


# Answers that make a signal question a signal: yes, and doubt (DESIGN.md, the gate, rule 2).
SIGNAL_ANSWERS = frozenset({Answer.JA, Answer.TWIJFEL})

# The step every honour branch starts with; cases link to it from locked steps.
CONSULT_STEP_KEY = "raadpleeg-veilig-thuis"
