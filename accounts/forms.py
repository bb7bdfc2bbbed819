from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError
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


class OwnPasswordChangeForm(PasswordChangeForm):
    """Change one's own password. The current password is checked through authenticate(),
    so guessing it here counts towards the same lockout as the login page."""

    def __init__(self, user, *args, request=None, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self):
        old_password = self.cleaned_data.get("old_password") or ""
        checked = authenticate(self.request, username=self.user.email, password=old_password)
        if checked is None or checked.pk != self.user.pk:
            raise ValidationError(
                _("Uw huidige wachtwoord klopt niet. Probeer het opnieuw."),
                code="password_incorrect",
            )
        return old_password


class SessionEndForm(forms.Form):
    session = forms.CharField(max_length=40)
