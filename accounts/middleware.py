from django.shortcuts import redirect

from accounts.selectors import MFA_SESSION_KEY, session_used_sso, user_needs_mfa_enrolment

# What a logged-in user without a second factor may still reach: enrolment, its
# reauthentication and recovery codes, logout and the language switch.
ENROLMENT_URL_NAMES = frozenset(
    {
        "mfa_index",
        "mfa_activate_totp",
        "mfa_add_webauthn",
        "mfa_view_recovery_codes",
        "mfa_download_recovery_codes",
        "mfa_reauthenticate",
        "mfa_reauthenticate_webauthn",
        "account_reauthenticate",
        "account_logout",
        "logout",
        "set_language",
        "health",
    }
)


class MFAEnrolmentMiddleware:
    """Sends a logged-in user who has no second factor yet to enrolment, from every page
    but the few above. Once the check passes, the session remembers it (no query per
    request); removing a factor (accounts.receivers) makes the session check again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.session.get(MFA_SESSION_KEY) == user.pk:
            return None
        if not user_needs_mfa_enrolment(
            user=user, used_sso=session_used_sso(request=request, user=user)
        ):
            request.session[MFA_SESSION_KEY] = user.pk
            return None
        match = request.resolver_match
        if match is not None and match.url_name in ENROLMENT_URL_NAMES:
            return None
        return redirect("mfa_index")
