"""Authentication events into the security log and the session clocks. Connected in
AccountsConfig.ready(); they fire for every login view (ours, the admin's, allauth's), because
Django's authenticate(), login() and logout() send them."""

from django.utils import timezone

from accounts import services
from accounts.net import client_ip
from accounts.sessions import session_start


def on_logged_in(sender, request, user, **kwargs):
    ip_address = client_ip(request) if request is not None else None
    if request is not None and hasattr(request, "session"):
        session_start(
            request.session,
            now=timezone.now(),
            ip_address=ip_address,
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
        )
    services.login_recorded(user=user, ip_address=ip_address)


def on_login_failed(sender, credentials, request=None, **kwargs):
    services.login_failure_recorded(
        email=services.axes_username(request, credentials),
        ip_address=client_ip(request) if request is not None else None,
        locked=bool(getattr(request, "axes_locked_out", False)),
    )


def on_locked_out(sender, request, username, ip_address, **kwargs):
    # Axes also signals every refused attempt during a lockout; only the one that started it
    # counted a failure (axes_failures_since_start is set then).
    if getattr(request, "axes_failures_since_start", None) is None:
        return
    services.lockout_recorded(email=username or "", ip_address=ip_address)


def on_logged_out(sender, request, user, **kwargs):
    services.logout_recorded(
        user=user,
        ip_address=client_ip(request) if request is not None else None,
        reason=getattr(request, "logout_reason", ""),
    )
