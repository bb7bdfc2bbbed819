from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.constants import (
    PARENT_LANGUAGES,
    AgeRange,
    ConsultationOutcome,
    ConsultedOrganisation,
    Gender,
    ShareLevel,
    Situation,
    StepStatus,
)
from guidance.constants import Answer

NO_NAMES = _("Schrijf geen namen of andere gegevens waarmee iemand te herkennen is.")


def version_field() -> forms.IntegerField:
    """The version of the record the page was built from (config/concurrency.py): a save
    based on a stale one gets the conflict page. Required: a form without it cannot show
    what it would overwrite."""
    stale = _("Dit formulier is verouderd. Laad de pagina opnieuw; uw tekst staat hieronder.")
    return forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        error_messages={"required": stale, "invalid": stale, "min_value": stale},
    )


class CaseDetailsForm(forms.Form):
    age_range = forms.ChoiceField(label=_("Leeftijd van de jongere"), choices=AgeRange.choices)
    gender = forms.ChoiceField(
        label=_("Gender van de jongere (niet verplicht)"),
        choices=[("", "—"), *Gender.choices],
        required=False,
    )
    situation = forms.ChoiceField(label=_("Wat is er gebeurd?"), choices=Situation.choices)
    cultural_context = forms.CharField(
        label=_("Culturele of religieuze achtergrond (niet verplicht)"),
        max_length=200,
        required=False,
        help_text=_("Bijvoorbeeld: Marokkaans-Nederlands, islamitisch. %(no_names)s")
        % {"no_names": NO_NAMES},
    )
    parent_languages = forms.MultipleChoiceField(
        label=_("Talen van de ouders"),
        choices=PARENT_LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Hiermee vindt u materiaal en uitleg in hun taal."),
    )
    notes = forms.CharField(
        label=_("Aantekeningen"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=NO_NAMES,
    )


class CaseDetailsEditForm(CaseDetailsForm):
    """The details of an existing case, with the version they were read at."""

    version = version_field()


class CaseCreateForm(CaseDetailsForm):
    guide_version = forms.ModelChoiceField(
        label=_("Leidraad"),
        queryset=None,
        empty_label=None,
        widget=forms.RadioSelect,
    )

    field_order = ["guide_version"]

    def __init__(self, *args, versions=(), **kwargs):
        super().__init__(*args, **kwargs)
        from guidance.models import GuideVersion

        self.fields["guide_version"].queryset = GuideVersion.objects.filter(
            pk__in=[v.pk for v in versions]
        ).defer("snapshot")
        self.fields["guide_version"].label_from_instance = lambda v: v.guide.title
        if versions:
            self.fields["guide_version"].initial = versions[0].pk


class ScreeningForm(forms.Form):
    """One ja / nee / twijfel choice and a note per question, plus one reason for changes."""

    reason = forms.CharField(
        label=_("Reden van een wijziging"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Nodig als u een ‘ja’ of ‘twijfel’ verandert in ‘nee’ of intrekt. Het signaal "
            "blijft meetellen tot er een consultatie is."
        ),
    )

    # The answers' versions as the page showed them ("key:version,…"), so a save based on
    # a stale page (a colleague answered meanwhile) is refused, not a silent revert.
    seen = forms.RegexField(
        regex=r"^([\w-]+:\d+(,[\w-]+:\d+)*)?$", required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, questions=(), answers=None, notes=None, versions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        answers, notes = answers or {}, notes or {}
        self.fields["seen"].initial = seen_value(versions or {})
        for question in self.questions:
            key = question["key"]
            self.fields[f"q_{key}"] = forms.ChoiceField(
                label=question["text_display"],
                choices=Answer.choices,
                required=False,
                widget=forms.RadioSelect,
                initial=answers.get(key, ""),
                help_text=question.get("help_display", ""),
            )
            self.fields[f"n_{key}"] = forms.CharField(
                label=_("Toelichting"),
                required=False,
                max_length=2000,
                initial=notes.get(key, ""),
            )

    def answers(self) -> dict[str, tuple[str, str]]:
        """(answer, note) per question key, from valid data."""
        data = self.cleaned_data
        return {q["key"]: (data[f"q_{q['key']}"], data[f"n_{q['key']}"]) for q in self.questions}

    def notes(self) -> list[str]:
        return [self.cleaned_data["reason"], *(note for _a, note in self.answers().values())]

    def seen_versions(self) -> dict[str, int] | None:
        """The versions the page showed; None for a post without them."""
        if "seen" not in self.data:
            return None
        pairs = (pair.split(":") for pair in self.cleaned_data["seen"].split(",") if pair)
        return {key: int(version) for key, version in pairs}

    def answer_fields(self):
        return [(q, self[f"q_{q['key']}"], self[f"n_{q['key']}"]) for q in self.questions]


def seen_value(versions: dict) -> str:
    return ",".join(f"{key}:{version}" for key, version in versions.items())


class StepForm(forms.Form):
    """Notes on a step and, with the button pressed, its new status. A POST without a notes
    field leaves the notes as they are (notes = None)."""

    notes = forms.CharField(
        label=_("Uw aantekeningen bij deze stap"),
        required=False,
        max_length=10_000,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=NO_NAMES,
    )
    status = forms.ChoiceField(choices=[("", "—"), *StepStatus.choices], required=False)
    version = version_field()

    def clean_notes(self):
        return self.cleaned_data["notes"] if "notes" in self.data else None

    def clean_status(self):
        return self.cleaned_data["status"] or None


class GoAheadForm(forms.Form):
    reason = forms.CharField(
        label=_("Waarom gaat het gesprek met de ouders toch door?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Bijvoorbeeld wat u hierover met Veilig Thuis of met de jongere hebt afgesproken. "
            "%(no_names)s"
        )
        % {"no_names": NO_NAMES},
        error_messages={"required": _("Schrijf op waarom het gesprek toch doorgaat.")},
    )
    version = version_field()


class PlanOptionsForm(forms.Form):
    """`?bijlage=1`: the plan with the guide's full text as an appendix."""

    bijlage = forms.BooleanField(label=_("Met de volledige leidraad als bijlage"), required=False)

    def appendix(self) -> bool:
        return self.is_valid() and self.cleaned_data["bijlage"]


class ConsultationForm(forms.Form):
    consulted_on = forms.DateField(
        label=_("Datum van het advies"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )
    organisation = forms.ChoiceField(
        label=_("Bij wie heeft u advies gevraagd?"),
        choices=ConsultedOrganisation.choices,
        widget=forms.RadioSelect,
    )
    advisor = forms.CharField(
        label=_("Adviseur"), max_length=150, help_text=_("Functie of naam van de adviseur.")
    )
    advice_summary = forms.CharField(
        label=_("Samenvatting van het advies"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    outcome = forms.ChoiceField(
        label=_("Uitkomst"), choices=ConsultationOutcome.choices, widget=forms.RadioSelect
    )
    young_person_informed = forms.BooleanField(
        label=_("De jongere weet wat ik ga doen en wat er gaat gebeuren."),
        required=True,
        error_messages={
            "required": _(
                "Bevestig dat de jongere weet wat u gaat doen. Zet nooit stappen "
                "buiten de jongere om."
            )  # fmt: skip
        },
    )

    def clean_consulted_on(self):
        value = self.cleaned_data["consulted_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("De datum van het advies ligt in de toekomst."))
        return value


class UnshareForm(forms.Form):
    remove = forms.ModelChoiceField(queryset=None)

    def __init__(self, *args, colleagues=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["remove"].queryset = colleagues


class ShareForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Collega"), queryset=None)
    level = forms.ChoiceField(label=_("Mag"), choices=ShareLevel.choices, widget=forms.RadioSelect)
    # The shares as the page showed them ("user:version,…"), so a change based on a stale
    # page (another tab changed a share meanwhile) is refused.
    seen = forms.RegexField(
        regex=r"^(\d+:\d+(,\d+:\d+)*)?$", required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, colleagues=None, shares=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = colleagues
        self.fields["user"].label_from_instance = lambda u: u.get_full_name()
        self.fields["seen"].initial = ",".join(f"{s.user_id}:{s.version}" for s in shares)

    def share_version(self) -> int | None:
        """The version of the chosen colleague's share as the page showed it (0: not
        shared); None for a post without the page's record of the shares."""
        if "seen" not in self.data:
            return None
        pairs = (pair.split(":") for pair in self.cleaned_data["seen"].split(",") if pair)
        return {int(user): int(version) for user, version in pairs}.get(
            self.cleaned_data["user"].pk, 0
        )


class StatisticsFilterForm(forms.Form):
    """The figures' filter: a calendar year. Nothing narrower (the figures are per month at
    the finest) and no region: a Coördinator sees their own, a Beheerder all together."""

    jaar = forms.TypedChoiceField(label=_("Jaar"), coerce=int, choices=())

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jaar"].choices = [(year, str(year)) for year in years]
        self.fields["jaar"].widget.attrs["class"] = "form-select"
