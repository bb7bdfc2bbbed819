from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.net import client_ip
from accounts.selectors import MFA_SESSION_KEY, session_used_sso, user_needs_mfa_enrolment
from accounts.sessions import Expiry, session_state, session_touch

# What a logged-in user without a second factor may still reach: enrolment, its
# reauthentication and recovery codes, logout, the language switch and the accessibility
# statement.
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
        "accessibility_statement",
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
        if match is not None and match.namespace == "hsds":
            return None  # the open-data API is public: it answers a session as anyone else
        return redirect("mfa_index")


class SessionLimitsMiddleware:
    """A logged-in session ends after SESSION_IDLE_TIMEOUT without a request and
    SESSION_ABSOLUTE_LIMIT after login; the request then goes on as anonymous, so pages behind
    login send it to the login page. Every response to a logged-in user is `no-store`: no
    browser or proxy keeps a copy of a page behind login. Goes after the message middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = timezone.now()
            state = session_state(request.session, now=now)
            if state.expired:
                request.logout_reason = (
                    "sessie verlopen (maximale duur)"
                    if state.expired == Expiry.ABSOLUTE
                    else "sessie verlopen (niet actief)"
                )
                logout(request)
                messages.info(request, self._expired_message(state.expired))
            elif state.touch:
                session_touch(
                    request.session,
                    now=now,
                    ip_address=client_ip(request),
                    user_agent=request.META.get("HTTP_USER_AGENT", ""),
                )
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            response["Cache-Control"] = "no-store"
        return response

    @staticmethod
    def _expired_message(kind: str) -> str:
        if kind == Expiry.ABSOLUTE:
            hours = settings.SESSION_ABSOLUTE_LIMIT.total_seconds() / 3600
            return _("U was langer dan %(hours)s uur ingelogd. Log opnieuw in.") % {
                "hours": f"{hours:g}"
            }
        minutes = int(settings.SESSION_IDLE_TIMEOUT.total_seconds() // 60)
        return _(
            "U was %(minutes)d minuten niet actief en bent daarom uitgelogd. Log opnieuw in."
        ) % {"minutes": minutes}
