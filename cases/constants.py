from django.db import models
from django.utils.translation import gettext_lazy as _

# Languages parents in the Netherlands often speak (ISO 639-1), to offer handouts in.
PARENT_LANGUAGES = [
    ("nl", _("Nederlands")),
    ("ar", _("Arabisch")),
    ("tr", _("Turks")),
    ("en", _("Engels")),
    ("fr", _("Frans")),
    ("hi", _("Hindi")),
    ("pl", _("Pools")),
    ("so", _("Somalisch")),
    ("ti", _("Tigrinya")),
    ("fa", _("Perzisch (Farsi)")),
    ("ps", _("Pasjtoe")),
    ("es", _("Spaans")),
    ("pt", _("Portugees")),
    ("ru", _("Russisch")),
    ("uk", _("Oekraïens")),
    ("zh", _("Chinees")),
]


class CaseStatus(models.TextChoices):
    VOORBEREIDING = "voorbereiding", _("Voorbereiding")
    WACHT_OP_ADVIES = "wacht_op_advies", _("Wacht op advies Veilig Thuis")
    GEEN_CONTACT_OUDERS = "geen_contact_ouders", _("Advies: geen contact met ouders")
    MELDING_GEDAAN = "melding_gedaan", _("Melding gedaan")
    KLAAR_VOOR_GESPREK = "klaar_voor_gesprek", _("Klaar voor gesprek")
    AFGEROND = "afgerond", _("Afgerond")
    GEARCHIVEERD = "gearchiveerd", _("Gearchiveerd")


CLOSED_STATUSES = frozenset({CaseStatus.AFGEROND, CaseStatus.GEARCHIVEERD})

# The screening question "Does the young person know you want to talk with the parents, and
# agree?" (not a signal). Only ja makes a case ready for the conversation, unless the worker
# records why it goes ahead anyway.
AGREEMENT_QUESTION_KEY = "jongere-weet-van-gesprek"

# The honour branch's step for an advice of no contact with the parents.
ALTERNATIVE_ROUTE_STEP_KEY = "alternatieve-route"


class AgeRange(models.TextChoices):
    ONDER_12 = "onder_12", _("Jonger dan 12")
    J12_15 = "12_15", _("12 tot en met 15 jaar")
    J16_17 = "16_17", _("16 of 17 jaar")
    J18_23 = "18_23", _("18 tot en met 23 jaar")


class Gender(models.TextChoices):
    MEISJE = "meisje", _("Meisje")
    JONGEN = "jongen", _("Jongen")
    ANDERS = "anders", _("Anders")
    ONBEKEND = "onbekend", _("Zeg ik liever niet")


class Situation(models.TextChoices):
    SHAME_SEXTING = "shame_sexting", _("Shame sexting")
    EXPOSING = "exposing", _("Exposing")
    SEXTORTION = "sextortion", _("Sextortion")
    WRAAKPORNO = "wraakporno", _("Wraakporno")
    GROOMING = "grooming", _("Grooming")
    ANDERS = "anders", _("Anders of nog onduidelijk")


class StepStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Klaar")
    NOT_APPLICABLE = "not_applicable", _("Niet van toepassing")


class CaseText(models.TextChoices):
    """The free texts of a case whose history is kept (cases.models.CaseTextVersion)."""

    NOTES = "notes", _("Aantekeningen bij de casus")
    CULTURAL_CONTEXT = "cultural_context", _("Culturele of religieuze achtergrond")
    GO_AHEAD_REASON = "go_ahead_reason", _("Waarom het gesprek toch doorgaat")
    STEP_NOTES = "step_notes", _("Aantekeningen bij een stap")
    ANSWER_NOTE = "answer_note", _("Toelichting bij een screeningsvraag")


class ConsultedOrganisation(models.TextChoices):
    VEILIG_THUIS = "veilig_thuis", _("Veilig Thuis")
    POLITIE = "politie", _("Politie")
    LEC_EGG = "lec_egg", _("LEC EGG (via Veilig Thuis)")


class ConsultationOutcome(models.TextChoices):
    CONTACT_OUDERS_VEILIG = "contact_ouders_veilig", _("Contact met ouders is veilig")
    GEEN_CONTACT_OUDERS = "geen_contact_ouders", _("Geen contact met ouders")
    MELDING_GEDAAN = "melding_gedaan", _("Melding gedaan")


class ShareLevel(models.TextChoices):
    READ = "read", _("Lezen")
    EDIT = "edit", _("Lezen en bewerken")


class AccessAction(models.TextChoices):
    CREATE = "create", _("aangemaakt")
    VIEW = "view", _("bekeken")
    UPDATE = "update", _("gewijzigd")
    SCREENING = "screening", _("screening beantwoord")
    STEP = "step", _("stap bijgewerkt")
    CONSULT = "consult", _("consultatie vastgelegd")
    SHARE = "share", _("gedeeld")
    UNSHARE = "unshare", _("delen gestopt")
    PRINT = "print", _("plan bekeken om te printen")
    EXPORT = "export", _("plan als PDF geëxporteerd")
    CLOSE = "close", _("afgerond")
    REOPEN = "reopen", _("heropend")
    VIEW_LOG = "view_log", _("logboek bekeken")
    REFUSED = "refused", _("wijziging geweigerd")
    OPEN_REFUSED = "open_refused", _("iemand zonder toegang probeerde de casus te openen")


class FigureDimension(models.TextChoices):
    """What the policy figures count per month, region and guide (cases.statistics)."""

    STARTED = "started", _("Gestarte casussen")
    HONOUR = "honour", _("Signalen van eergerelateerd geweld")
    OUTCOME = "outcome", _("Uitkomst van de consultatie")
    ROUTE = "route", _("Gekozen verwijsroute")
    MATERIAL = "material", _("Gekozen materiaal")
    LANGUAGE = "language", _("Taal van de folder")


# The outcome value of a case without a consultation, in the figures.
NO_CONSULTATION = "geen"
