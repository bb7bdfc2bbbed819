from django import forms
from django.utils.translation import gettext_lazy as _

from glossary.constants import Category


class TermSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Zoek een begrip"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    category = forms.ChoiceField(
        label=_("Categorie"),
        required=False,
        choices=[("", _("Alle categorieën")), *Category.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    # The index shows one letter at a time (at 2,000 terms the whole list is a megabyte).
    letter = forms.CharField(required=False, max_length=8)
