from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class EmailAuthenticationForm(AuthenticationForm):
    """Login by e-mail address. One message for every failure, so it never tells whether an
    account exists."""

    username = forms.EmailField(
        label=_("E-mailadres"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": _(
            "Dit e-mailadres en wachtwoord passen niet bij een actief account. Na vijf "
            "mislukte pogingen wordt inloggen een kwartier geblokkeerd."
        ),
        "inactive": _(
            "Dit e-mailadres en wachtwoord passen niet bij een actief account. Na vijf "
            "mislukte pogingen wordt inloggen een kwartier geblokkeerd."
        ),
    }
