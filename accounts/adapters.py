"""How django-allauth fits this app: login through Django's authenticate() (the axes lockout
applies), nobody signs up, the second factor is never skipped after a password, and single
sign-on only admits an e-mail address that already has an account here."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts import selectors, services
from accounts.constants import SecurityEventKind
from accounts.net import client_ip

FIRST_ENROLMENT_URL_NAMES = frozenset({"mfa_activate_totp", "mfa_add_webauthn"})
RECOVERY_CODE_URL_NAMES = frozenset({"mfa_view_recovery_codes", "mfa_download_recovery_codes"})


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": _(
            "Te veel onjuiste codes. Wacht vijf minuten en probeer het dan opnieuw."
        ),
    }

    def is_open_for_signup(self, request):
        # Accounts are made by a Beheerder; nobody signs up, through SSO neither.
        return False

    def pre_authenticate(self, request, **credentials):
        # django-axes is the one lockout for passwords (settings.AXES_*); allauth's own
        # counter would answer differently from it.
        return None

    def get_login_redirect_url(self, request):
        return selectors.user_landing_url(user=request.user)

    def get_logout_redirect_url(self, request):
        return reverse("accounts:login")

    def get_client_ip(self, request):
        # allauth's rate limits on codes count per real client, as the lockout does.
        return client_ip(request) or "0.0.0.0"

    def get_login_stages(self):
        return [
            "accounts.stages.SecondFactorStage"
            if path == "allauth.mfa.stages.AuthenticateStage"
            else path
            for path in super().get_login_stages()
        ]

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """Changing a second factor asks for the password (or a factor) again, except the
        first enrolment: it follows the password login directly, and until it is done the
        session reaches nothing else."""
        request = context.request
        match = getattr(request, "resolver_match", None)
        if app == "allauth.mfa" and match is not None and request.user.is_authenticated:
            if match.url_name in FIRST_ENROLMENT_URL_NAMES and not (
                selectors.user_has_second_factor(user=request.user)
            ):
                return False
            # The recovery codes right after enrolment: the user just proved the new factor.
            if match.url_name in RECOVERY_CODE_URL_NAMES and selectors.session_enrolled_recently(
                request=request
            ):
                return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def add_message(self, request, level, message_template=None, *args, **kwargs):
        # allauth's "Successfully signed in as ..." adds nothing; keep MFA messages.
        if message_template and message_template.startswith("account/messages/logged_"):
            return
        super().add_message(request, level, message_template, *args, **kwargs)


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": _(
            "Deze code klopt niet, is verlopen of is al gebruikt. Vul de code in die uw app "
            "nu toont, of een herstelcode die u nog niet gebruikte."
        ),
        "cannot_delete_authenticator": _(
            "Dit is uw enige tweede factor. Voeg eerst een andere toe (een app of een "
            "passkey), dan kunt u deze verwijderen."
        ),
    }

    def get_totp_issuer(self):
        return "Gesprekswijzer"

    def get_public_key_credential_rp_entity(self):
        entity = super().get_public_key_credential_rp_entity()
        return {**entity, "name": "Gesprekswijzer"}

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """A second factor can be removed only while another one remains (issue 10: in
        production nobody switches MFA off)."""
        return selectors.user_may_remove_authenticator(authenticator=authenticator)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin):
        return False

    def pre_social_login(self, request, sociallogin):
        """Admit only an active account with the identity provider's e-mail address; a
        login with a wrong nonce, or for an unknown address, is refused and changes
        nothing (no account, no link)."""
        from accounts import oidc

        ip = client_ip(request)
        if not oidc.nonce_matches(sociallogin):
            services.security_event_record(
                kind=SecurityEventKind.SSO_REFUSED, ip_address=ip, detail="nonce klopt niet"
            )
            raise ImmediateHttpResponse(_refusal(request, reason="state"))
        if sociallogin.is_existing:
            user = sociallogin.user
        else:
            user = selectors.user_for_sso_email(email=oidc.email_of(sociallogin))
        if user is None or not user.is_active:
            services.security_event_record(
                kind=SecurityEventKind.SSO_REFUSED,
                subject=user,
                ip_address=ip,
                detail="geen actief account met dit e-mailadres",
            )
            raise ImmediateHttpResponse(_refusal(request, reason="unknown"))
        if not sociallogin.is_existing:
            sociallogin.connect(request, user)

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ):
        services.security_event_record(
            kind=SecurityEventKind.SSO_REFUSED,
            ip_address=client_ip(request),
            detail=f"fout bij de identity provider: {error or 'onbekend'}"[:200],
        )
        raise ImmediateHttpResponse(_refusal(request, reason="state"))


def _refusal(request, *, reason: str):
    return render(request, "socialaccount/refused.html", {"reason": reason}, status=403)
