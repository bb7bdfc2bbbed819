from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    VORMEN = "vormen", _("Vormen van (online) misbruik")
    CULTUUR = "cultuur", _("Cultuur, eer en religie")
    RECHT = "recht", _("Recht en melden")
    HULP = "hulp", _("Hulp en aanpak")
    ALGEMEEN = "algemeen", _("Algemeen")


class Status(models.TextChoices):
    CONCEPT = "concept", _("Concept")
    GEPUBLICEERD = "gepubliceerd", _("Gepubliceerd")


class LabelKind(models.TextChoices):
    """SKOS: prefLabel, altLabel, hiddenLabel."""

    PREFERRED = "pref", _("Voorkeursterm")
    ALTERNATIVE = "alt", _("Synoniem of variant")
    HIDDEN = "hidden", _("Verborgen zoekterm")


# The source documents terms come from (shared/seeds/NNN_*.txt), described, not titled.
SOURCES = {
    "000": _("Achtergrond ‘De diepte in over shame sexting’ (teamsessie bij de podcast)"),
    "001": _("Handvatten: shame sexting bespreken met ouders met een migratieachtergrond"),
    "002": _("Overzichtskaart sexting misbruik"),
    "003": _("Achtergrond sexting misbruik: vormen, cijfers en recht"),
    "004": _("Voorlichtingstekst sexting voor jongeren"),
}
