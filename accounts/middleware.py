from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.net import client_ip
from accounts.sessions import Expiry, session_state, session_touch


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
