import uuid

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from resources.constants import (
    HANDOUT_LANGUAGES,
    LANGUAGE_CHOICES,
    LANGUAGES,
    AudienceCode,
    Cost,
    Kind,
)
from resources.models import ReviewDecision
from resources.selectors import MapFilters


class MapFilterForm(forms.Form):
    """The map's GET form: search words and facet values, all in the URL. The page renders
    the fields itself (with counts); this form only validates."""

    q = forms.CharField(label=_("Zoek in de sociale kaart"), required=False, max_length=100)
    thema = forms.MultipleChoiceField(label=_("Thema"), required=False)
    doelgroep = forms.MultipleChoiceField(
        label=_("Doelgroep"), required=False, choices=AudienceCode.choices
    )
    beroepsgroep = forms.MultipleChoiceField(label=_("Beroepsgroep"), required=False)
    taal = forms.MultipleChoiceField(label=_("Taal"), required=False, choices=LANGUAGE_CHOICES)
    soort = forms.MultipleChoiceField(label=_("Soort"), required=False, choices=Kind.choices)
    kosten = forms.MultipleChoiceField(label=_("Kosten"), required=False, choices=Cost.choices)
    regio = forms.MultipleChoiceField(label=_("Regio"), required=False)
    pagina = forms.IntegerField(label=_("Pagina"), required=False, min_value=1, max_value=10_000)

    def __init__(self, *args, theme_slugs, group_slugs, region_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["thema"].choices = [(slug, slug) for slug in theme_slugs]
        self.fields["beroepsgroep"].choices = [(slug, slug) for slug in group_slugs]
        self.fields["regio"].choices = region_choices

    def filters(self) -> MapFilters:
        data = self.cleaned_data
        return MapFilters(
            query=data["q"].strip(),
            themes=tuple(data["thema"]),
            audiences=tuple(data["doelgroep"]),
            groups=tuple(data["beroepsgroep"]),
            languages=tuple(data["taal"]),
            kinds=tuple(data["soort"]),
            costs=tuple(data["kosten"]),
            regions=tuple(data["regio"]),
        )


class HandoutPickForm(forms.Form):
    """Ticks on the map or a detail page: `shown` are the resources on the page, `chosen`
    those ticked. Only ids; nothing about a case."""

    shown = forms.CharField(required=False)
    chosen = forms.CharField(required=False)
    next = forms.CharField(required=False, max_length=2000)

    def __init__(self, data=None, **kwargs):
        self.shown_ids = _uuids(data.getlist("shown") if data is not None else [])
        self.chosen_ids = _uuids(data.getlist("chosen") if data is not None else [])
        super().__init__(data, **kwargs)


def _uuids(values: list[str]) -> list[str]:
    result = []
    for value in values[:500]:
        try:
            text = str(uuid.UUID(value))
        except (ValueError, AttributeError, TypeError):
            continue
        if text not in result:
            result.append(text)
    return result


class HandoutLanguageForm(forms.Form):
    """The handout's language (`?taal=`, also how a case preselects the parents' language).
    Only languages the handout's sentences are written in; a known language nobody wrote a
    handout in gets a message that says so, instead of a silent Dutch handout."""

    taal = forms.CharField(
        label=_("Taal van de folder"),
        required=False,
        max_length=8,
        widget=forms.Select(
            choices=[
                (code, f"{LANGUAGES[code]} – {name}" if code != "nl" else name)
                for code, name in HANDOUT_LANGUAGES.items()
            ],
            attrs={"class": "form-select"},
        ),
    )

    def clean_taal(self) -> str:
        code = (self.cleaned_data.get("taal") or "").strip().lower()
        if not code or code in HANDOUT_LANGUAGES:
            return code
        if code in LANGUAGES:
            raise forms.ValidationError(
                _(
                    "Er is nog geen folder in het %(language)s. Hieronder staat hij in het "
                    "Nederlands; kies zo nodig Engels, Turks of Arabisch."
                ),
                code="not_written",
                params={"language": LANGUAGES[code]},
            )
        raise forms.ValidationError(
            _("Kies een taal uit de lijst: Nederlands, Engels, Turks of Arabisch."),
            code="unknown",
        )

    def language(self) -> str:
        if self.is_valid() and self.cleaned_data["taal"]:
            return self.cleaned_data["taal"]
        return settings.LANGUAGE_CODE


class SourceReviewForm(forms.Form):
    """The Coördinator's choice for one remote entry, and the version of the review it was
    made on (a choice on a page that is no longer current is refused)."""

    decision = forms.ChoiceField(choices=ReviewDecision.choices)
    version = forms.IntegerField(min_value=0)


class MapImportForm(forms.Form):
    """The file to import (resources/csv_map.py reads it; the view reports its errors here)."""

    bestand = forms.FileField(
        label=_("CSV-bestand"),
        help_text=_("UTF-8, gescheiden door komma's of puntkomma's, hoogstens 2 MB en 1000 rijen."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv", "class": "form-control"}),
    )
