from allauth.account.adapter import get_adapter
from allauth.account.forms import LoginForm
from allauth.account.models import Login
from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.selectors import user_has_code_factor

INVALID_LOGIN = _(
    "Dit e-mailadres en wachtwoord passen niet bij een actief account. Na vijf "
    "mislukte pogingen wordt inloggen een kwartier geblokkeerd."
)


class EmailLoginForm(LoginForm):
    """Login by e-mail address and password: allauth's login (so its second-factor stage
    follows), with the fields and the one message for every failure this app always had, so
    it never tells whether an account exists. The password is checked by Django's
    authenticate(request, username=..., password=...), where the axes lockout applies."""

    error_messages = {"invalid_login": INVALID_LOGIN}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("login", None)
        self.fields.pop("remember", None)
        self.fields["username"] = forms.EmailField(
            label=_("E-mailadres"),
            widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username"}),
        )
        self.fields["password"] = forms.CharField(
            label=_("Wachtwoord"),
            strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        )
        self.order_fields(["username", "password"])

    def user_credentials(self) -> dict:
        return {
            "username": self.cleaned_data["username"].strip(),
            "password": self.cleaned_data["password"],
        }

    def clean(self):
        cleaned_data = forms.Form.clean(self)
        if self._errors:
            return cleaned_data
        credentials = self.user_credentials()
        user = get_adapter(self.request).authenticate(self.request, **credentials)
        if user is None:
            raise ValidationError(INVALID_LOGIN, code="invalid_login")
        self._login = Login(user=user, email=user.email)
        self.user = user
        return cleaned_data


class OwnPasswordChangeForm(PasswordChangeForm):
    """Change one's own password. The current password is checked through authenticate(),
    so guessing it here counts towards the same lockout as the login page; a user with a
    second factor that gives codes also types a code (from the app, or a recovery code),
    checked by allauth: wrong, used and too many codes are refused as at login."""

    def __init__(self, user, *args, request=None, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)
        if user_has_code_factor(user=user):
            self.fields["code"] = forms.CharField(
                label=_("Code uit uw app of een herstelcode"),
                max_length=64,
                widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
            )
            self.order_fields(["old_password", "code", "new_password1", "new_password2"])

    def clean_code(self):
        from allauth.mfa.base.forms import ReauthenticateForm

        code = self.cleaned_data.get("code") or ""
        if not ReauthenticateForm(user=self.user, data={"code": code}).is_valid():
            raise ValidationError(
                _("Deze code klopt niet of is al gebruikt. Probeer de volgende code."),
                code="incorrect_code",
            )
        return code

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
