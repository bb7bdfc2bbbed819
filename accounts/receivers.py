"""Authentication events into the security log and the session clocks. Connected in
AccountsConfig.ready(); they fire for every login view (ours, the admin's, allauth's), because
Django's authenticate(), login() and logout() send them.
The second factor and single sign-on events (allauth's signals) are below, with the
session's "second factor checked" mark."""

import time

from allauth.account.signals import user_logged_in as allauth_user_logged_in
from allauth.mfa import signals as mfa_signals
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone

from accounts import selectors, services
from accounts.constants import SecurityEventKind
from accounts.net import client_ip
from accounts.sessions import session_start

FACTOR_NAMES = {"totp": "app (TOTP)", "webauthn": "passkey", "recovery_codes": "herstelcodes"}


def _ip(request):
    return client_ip(request) if request is not None else None


@receiver(user_logged_in, dispatch_uid="accounts_mfa_mark_session")
def mark_session_after_login(sender, request, user, **kwargs):
    """At login, remember whether the session may go anywhere, so the enrolment check costs
    no query on every request. A user who still needs a factor is checked per request."""
    if request is None or not hasattr(request, "session"):
        return
    used_sso = selectors.session_used_sso(request=request, user=user)
    if not selectors.user_needs_mfa_enrolment(user=user, used_sso=used_sso):
        request.session[selectors.MFA_SESSION_KEY] = user.pk
    else:
        request.session.pop(selectors.MFA_SESSION_KEY, None)


@receiver(allauth_user_logged_in, dispatch_uid="accounts_sso_login_event")
def record_sso_login(sender, request, user, sociallogin=None, **kwargs):
    if sociallogin is None:
        return
    services.security_event_record(
        kind=SecurityEventKind.SSO_LOGIN, actor=user, subject=user, ip_address=_ip(request)
    )


def _end_other_sessions(request, user):
    """A change of second factor ends the user's other sessions (as a password change does):
    whoever held one of them must log in again with the factors as they are now."""
    keep = (
        request.session.session_key if request is not None and hasattr(request, "session") else None
    )
    services.sessions_end(
        user=user, actor=user, keep_session_key=keep, ip_address=_ip(request),
        reason="tweede factor gewijzigd",
    )  # fmt: skip


@receiver(mfa_signals.authenticator_added, dispatch_uid="accounts_mfa_added_event")
def record_authenticator_added(sender, request, user, authenticator, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[selectors.MFA_ENROLLED_AT_SESSION_KEY] = time.time()
    services.security_event_record(
        kind=SecurityEventKind.MFA_ENROLLED,
        actor=user,
        subject=user,
        ip_address=_ip(request),
        detail=FACTOR_NAMES.get(authenticator.type, authenticator.type),
    )
    _end_other_sessions(request, user)


@receiver(mfa_signals.authenticator_reset, dispatch_uid="accounts_mfa_reset_event")
def record_authenticator_reset(sender, request, user, authenticator, **kwargs):
    services.security_event_record(
        kind=SecurityEventKind.MFA_ENROLLED,
        actor=user,
        subject=user,
        ip_address=_ip(request),
        detail="nieuwe " + FACTOR_NAMES.get(authenticator.type, authenticator.type),
    )
    _end_other_sessions(request, user)


@receiver(mfa_signals.authenticator_removed, dispatch_uid="accounts_mfa_removed_event")
def record_authenticator_removed(sender, request, user, authenticator, **kwargs):
    services.security_event_record(
        kind=SecurityEventKind.MFA_REMOVED,
        actor=user,
        subject=user,
        ip_address=_ip(request),
        detail=FACTOR_NAMES.get(authenticator.type, authenticator.type),
    )
    if request is not None and hasattr(request, "session"):
        # Checked again on the next request: without a factor, back to enrolment.
        request.session.pop(selectors.MFA_SESSION_KEY, None)
    _end_other_sessions(request, user)


@receiver(mfa_signals.authentication_failed, dispatch_uid="accounts_mfa_failed_event")
def record_authentication_failed(sender, request, user, authenticator, **kwargs):
    services.security_event_record(
        kind=SecurityEventKind.MFA_FAILED,
        subject=user,
        ip_address=_ip(request),
        detail=FACTOR_NAMES.get(authenticator.type, authenticator.type),
    )


@receiver(mfa_signals.authenticator_used, dispatch_uid="accounts_recovery_code_event")
def record_recovery_code_used(sender, request, user, authenticator, **kwargs):
    if authenticator.type != "recovery_codes":
        return
    services.security_event_record(
        kind=SecurityEventKind.RECOVERY_CODE_USED,
        actor=user,
        subject=user,
        ip_address=_ip(request),
    )


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
