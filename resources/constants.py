import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    """Curation state of organisations and resources. Workers only ever see published ones."""

    CONCEPT = "concept", _("Concept")
    GEPUBLICEERD = "gepubliceerd", _("Gepubliceerd")
    GEARCHIVEERD = "gearchiveerd", _("Gearchiveerd")


class Kind(models.TextChoices):
    ARTIKEL = "artikel", _("Artikel")
    BROCHURE = "brochure", _("Brochure of handreiking")
    FACTSHEET = "factsheet", _("Factsheet")
    VIDEO = "video", _("Video of animatie")
    PODCAST = "podcast", _("Podcast")
    TRAINING = "training", _("Training, e-learning of cursus")
    LESPROGRAMMA = "lesprogramma", _("Lesprogramma of workshop")
    BOEK = "boek", _("Boek")
    WEBSITE = "website", _("Website")
    HULPLIJN = "hulplijn", _("Hulplijn of chat")
    MELDPUNT = "meldpunt", _("Meldpunt")
    GESPREKSTOOL = "gesprekstool", _("Gesprekstool")


class AudienceCode(models.TextChoices):
    """Who a resource is for. Stored as rows of `Audience`, so the facet is a plain join on
    SQLite and PostgreSQL alike."""

    PROFESSIONALS = "professionals", _("Professionals")
    OUDERS = "ouders", _("Ouders")
    JONGEREN = "jongeren", _("Jongeren")
    ONDERWIJS = "onderwijs", _("Onderwijs")


class Cost(models.TextChoices):
    GRATIS = "gratis", _("Gratis")
    BETAALD = "betaald", _("Betaald")
    ONBEKEND = "onbekend", _("Onbekend")


class ReligiousContext(models.TextChoices):
    """Only where the source says so."""

    CHRISTELIJK = "christelijk", _("Christelijk")
    ISLAMITISCH = "islamitisch", _("Islamitisch")
    HINDOEISTISCH = "hindoeistisch", _("Hindoeïstisch")


class Situation(models.TextChoices):
    """The situations a referral route answers, in the order a worker meets them."""

    ACUUT_GEVAAR = "acuut-gevaar", _("Acuut gevaar")
    ZELFDODING = "zelfdoding", _("Gedachten aan zelfdoding")
    EERGERELATEERD_GEWELD = "eergerelateerd-geweld", _("(Vermoeden van) eergerelateerd geweld")
    BEELDEN_VERWIJDEREN = "beelden-verwijderen", _("Beelden laten verwijderen")
    MELDING_AANGIFTE = "melding-aangifte", _("Melding of aangifte doen")
    STEUN_SLACHTOFFER = "steun-slachtoffer", _("Steun voor slachtoffer en ouders")
    JEUGDIGE_PLEGER = "jeugdige-pleger", _("Jeugdige pleger (12–17 jaar)")
    RELIGIEUZE_VRAGEN = "religieuze-vragen", _("Religieuze vragen van ouders")
    VOORLICHTING_EIGEN_TAAL = "voorlichting-eigen-taal", _("Voorlichting in de eigen taal")


class Urgency(models.TextChoices):
    DIRECT = "direct", _("Direct")
    BINNEN_EEN_DAG = "binnen_een_dag", _("Binnen een dag")
    REGULIER = "regulier", _("Regulier")


# Languages a resource can exist in: ISO 639-1 codes, named in the interface language.
# More can be added here; `vocabulary_ensure()` creates the rows.
LANGUAGES = {
    "nl": _("Nederlands"),
    "en": _("Engels"),
    "fr": _("Frans"),
    "de": _("Duits"),
    "es": _("Spaans"),
    "pt": _("Portugees"),
    "it": _("Italiaans"),
    "pl": _("Pools"),
    "ro": _("Roemeens"),
    "bg": _("Bulgaars"),
    "hu": _("Hongaars"),
    "uk": _("Oekraïens"),
    "ru": _("Russisch"),
    "el": _("Grieks"),
    "sq": _("Albanees"),
    "bs": _("Bosnisch"),
    "hr": _("Kroatisch"),
    "sr": _("Servisch"),
    "tr": _("Turks"),
    "ar": _("Arabisch"),
    "ku": _("Koerdisch"),
    "fa": _("Perzisch (Farsi)"),
    "ps": _("Pasjtoe"),
    "ur": _("Urdu"),
    "hi": _("Hindi"),
    "so": _("Somalisch"),
    "ti": _("Tigrinya"),
    "am": _("Amhaars"),
    "zh": _("Chinees"),
}
LANGUAGE_CHOICES = list(LANGUAGES.items())

# Entries not checked by a person for this long are on the coordinator's "te controleren" list.
STALE_AFTER_DAYS = 365

# Stable ids for the open data (HSDS): entries loaded from the fixtures and the taxonomy terms
# get name-based UUIDs in this namespace, so every installation publishes the same ids.
HSDS_NAMESPACE = uuid.UUID("6b0f3f8e-2d55-4c36-9a59-0c7f6c1b2e41")


def stable_uuid(kind: str, key: str) -> uuid.UUID:
    """The same UUID for the same (kind, key) on every installation."""
    return uuid.uuid5(HSDS_NAMESPACE, f"{kind}:{key}")


# The languages a handout for parents can be printed in: its own sentences (gettext context
# "folder voor ouders") are translated in locale/<code>/. Labels are the languages' own names.
# Turkish and Arabic are not interface languages: they exist for the handout only.
HANDOUT_LANGUAGES = {"nl": "Nederlands", "en": "English", "tr": "Türkçe", "ar": "العربية"}

# Never in a handout for parents (see resources/handout.py): material under this theme, and
# referral routes for these situations (acute danger: the handout prints 112 itself).
HONOUR_THEME = "eergerelateerd-geweld"
NOT_FOR_PARENTS_SITUATIONS = frozenset({Situation.EERGERELATEERD_GEWELD, Situation.ACUUT_GEVAAR})
