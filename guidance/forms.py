"""Input of the guide editor in the back office: moving a step, publishing with a note."""

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from guidance.models import NOTE_MAX_LENGTH, Guide


class StepMoveForm(forms.Form):
    """One of the "omhoog"/"omlaag" buttons of the guide page: the button's value is the
    step to move, its name the direction."""

    omhoog = forms.ModelChoiceField(queryset=None, required=False)
    omlaag = forms.ModelChoiceField(queryset=None, required=False)

    def __init__(self, *args, guide: Guide, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("omhoog", "omlaag"):
            self.fields[name].queryset = guide.steps.all()

    def clean(self):
        data = super().clean()
        up, down = data.get("omhoog"), data.get("omlaag")
        if bool(up) == bool(down):
            raise forms.ValidationError(_("Kies één stap om te verplaatsen."))
        data["step"], data["up"] = (up, True) if up else (down, False)
        return data


class PublishForm(forms.Form):
    note = forms.CharField(
        label=_("Wat verandert er?"),
        help_text=format_lazy(
            _("Verplicht, ten hoogste {max} tekens. Staat bij de versie in de versielijst."),
            max=NOTE_MAX_LENGTH,
        ),
        max_length=NOTE_MAX_LENGTH,
        validators=[ProhibitNullCharactersValidator()],
        error_messages={
            "required": _(
                "Schrijf kort op wat er verandert: zonder notitie wordt niets gepubliceerd."
            )
        },
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )
    reviewed = forms.CharField(widget=forms.HiddenInput, max_length=64)
