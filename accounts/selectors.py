"""Reads for accounts."""

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.constants import Role, SecurityEventKind
from accounts.models import Region, SecurityEvent, Team, User, UserSession
from accounts.sessions import session_public_id


def user_landing_url(*, user: User) -> str:
    """Where a user lands after login: the page that fits their role."""
    if user.role == Role.BEHEERDER:
        return reverse("admin:index")
    if user.role == Role.COORDINATOR:
        return reverse("accounts:coordinator_home")
    return reverse("cases:list")


def user_site_url(*, user: User) -> str:
    """Where the back office's "Website bekijken" leads: the user's landing page on the site;
    for a role that lands in the back office itself, the guides, the first page of the site."""
    landing = user_landing_url(user=user)
    if landing == reverse("admin:index"):
        return reverse("guidance:list")
    return landing


@dataclass(frozen=True)
class SessionRow:
    public_id: str
    started_at: dt.datetime
    last_seen_at: dt.datetime
    ip_address: str | None
    browser: str
    current: bool


def describe_user_agent(user_agent: str) -> str:
    """A short, readable name for a browser string: 'Firefox op Windows'."""
    browsers = (("Edg/", "Edge"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"),
                ("Chromium/", "Chromium"), ("Safari/", "Safari"))  # fmt: skip
    systems = (("Windows", "Windows"), ("Android", "Android"), ("iPhone", "iOS"),
               ("iPad", "iPadOS"), ("Mac OS X", "macOS"), ("Linux", "Linux"))  # fmt: skip
    browser = next((name for marker, name in browsers if marker in user_agent), "")
    system = next((name for marker, name in systems if marker in user_agent), "")
    if browser and system:
        return _("%(browser)s op %(system)s") % {"browser": browser, "system": system}
    return browser or system or _("Onbekende browser")


def user_sessions_live(*, user: User, current_session_key: str | None) -> list[SessionRow]:
    """The user's sessions that would still let them in, the newest activity first."""
    now = timezone.now()
    rows = UserSession.objects.filter(
        user=user,
        expire_date__gt=now,
        started_at__gt=now - settings.SESSION_ABSOLUTE_LIMIT,
        last_seen_at__gt=now - settings.SESSION_IDLE_TIMEOUT,
    ).order_by("-last_seen_at")
    return [
        SessionRow(
            public_id=session_public_id(row.session_key),
            started_at=row.started_at,
            last_seen_at=row.last_seen_at,
            ip_address=row.ip_address,
            browser=describe_user_agent(row.user_agent),
            current=row.session_key == current_session_key,
        )
        for row in rows
    ]


def team_medewerkers(*, team_id: int | None, exclude_pk: int | None = None) -> QuerySet[User]:
    """Active Medewerkers of one team: the only people a case can be shared with."""
    if team_id is None:
        return User.objects.none()
    return (
        User.objects.filter(team_id=team_id, is_active=True, groups__name=Role.MEDEWERKER)
        .exclude(groups__name__in=[Role.COORDINATOR, Role.BEHEERDER])
        .exclude(pk=exclude_pk)
        .order_by("display_name", "email")
        .distinct()
    )


# The second factor (issue 10). A session whose user passed (or needs none of) the check
# below carries this key with the user's id, so the check costs no query on later requests.
MFA_SESSION_KEY = "accounts.mfa_ok"
SECOND_FACTOR_TYPES = ("totp", "webauthn")


def session_used_sso(*, request, user: User) -> bool:
    """Whether this session's user logged in through the identity provider (single
    sign-on), as allauth records each way a session's user authenticated."""
    from allauth.account.authentication import get_authentication_records

    records = get_authentication_records(request, user)
    return any(record.get("method") == "socialaccount" for record in records)


MFA_ENROLLED_AT_SESSION_KEY = "accounts.mfa_enrolled_at"


def session_enrolled_recently(*, request) -> bool:
    """Whether this session set up a second factor within the reauthentication window."""
    import time

    from django.conf import settings

    enrolled_at = request.session.get(MFA_ENROLLED_AT_SESSION_KEY)
    if not isinstance(enrolled_at, int | float):
        return False
    return 0 <= time.time() - enrolled_at < settings.ACCOUNT_REAUTHENTICATION_TIMEOUT


def user_has_code_factor(*, user: User) -> bool:
    """Whether the user has a second factor that gives codes (an app, or recovery codes)."""
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(
        user_id=user.pk, type__in=("totp", "recovery_codes")
    ).exists()


def user_has_second_factor(*, user: User) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTOR_TYPES).exists()


def user_needs_mfa_enrolment(*, user: User, used_sso: bool) -> bool:
    """Every role logs in with a second factor (TOTP or a passkey). Only a session that came
    through single sign-on needs none here (the identity provider asked its own), and in
    development the demo users may skip it (settings.MFA_DEMO_USERS_MAY_SKIP, dev.py only)."""
    from django.conf import settings

    if not settings.MFA_REQUIRED or used_sso:
        return False
    if settings.MFA_DEMO_USERS_MAY_SKIP:
        from accounts.services import DEMO_USERS

        if user.email in {email for email, _role, _name in DEMO_USERS}:
            return False
    return not user_has_second_factor(user=user)


def user_may_remove_authenticator(*, authenticator) -> bool:
    """A second factor may go only while another TOTP or passkey remains: nobody switches
    MFA off (recovery codes alone are no factor to log in with)."""
    from django.conf import settings

    if not settings.MFA_REQUIRED:
        return True
    if authenticator.type not in SECOND_FACTOR_TYPES:
        return True
    from allauth.mfa.models import Authenticator

    others = Authenticator.objects.filter(
        user_id=authenticator.user_id, type__in=SECOND_FACTOR_TYPES
    ).exclude(pk=authenticator.pk)
    return others.exists()


def user_for_sso_email(*, email: str) -> User | None:
    """The active account that an e-mail address from the identity provider belongs to
    (compared without regard to case), or None: SSO never creates an account."""
    email = (email or "").strip()
    if not email:
        return None
    return User.objects.filter(email__iexact=email, is_active=True).first()


def sso_login_option() -> dict | None:
    """The municipality's identity provider as the login page offers it (name and the
    address the button posts to), or None while SSO is off (settings.OIDC_ENABLED)."""
    from django.conf import settings

    apps = settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect", {}).get("APPS", [])
    if not apps:
        return None
    app = apps[0]
    return {
        "name": app.get("name") or "SSO",
        "url": reverse("openid_connect_login", kwargs={"provider_id": app["provider_id"]}),
    }


# The fixed Dutch phrases the services write into the security log's `detail`, in the
# page's language when shown (the row keeps what was written).
_DETAIL_PHRASES = {
    "opnieuw uitgenodigd": gettext_lazy("opnieuw uitgenodigd"),
    "via uitnodiging": gettext_lazy("via uitnodiging"),
    "via herstellink": gettext_lazy("via herstellink"),
    "geblokkeerd": gettext_lazy("geblokkeerd"),
    "onbekend account": gettext_lazy("onbekend account"),
    "geblokkeerd onbekend account": gettext_lazy("geblokkeerd, onbekend account"),
    "eigen": gettext_lazy("de eigen sessie"),
    "door gebruiker": gettext_lazy("door de gebruiker"),
    "door beheerder": gettext_lazy("door een beheerder"),
    "na wachtwoordherstel": gettext_lazy("na wachtwoordherstel"),
    "na wachtwoordwijziging": gettext_lazy("na wachtwoordwijziging"),
    "na wijziging account": gettext_lazy("na wijziging van het account"),
    "tweede factor gewijzigd": gettext_lazy("tweede factor gewijzigd"),
    "app (TOTP)": gettext_lazy("app (TOTP)"),
    "nieuwe app (TOTP)": gettext_lazy("nieuwe app (TOTP)"),
    "passkey": gettext_lazy("passkey"),
    "nieuwe passkey": gettext_lazy("nieuwe passkey"),
    "herstelcodes": gettext_lazy("herstelcodes"),
    "nieuwe herstelcodes": gettext_lazy("nieuwe herstelcodes"),
    "nonce klopt niet": gettext_lazy("controlegetal (nonce) klopt niet"),
    "geen actief account met dit e-mailadres": gettext_lazy(
        "geen actief account met dit e-mailadres"
    ),
}


def _phrase(text: str) -> str:
    return str(_DETAIL_PHRASES.get(text, text))


def _role_name(value: str) -> str:
    return str(Role(value).label) if value in Role.values else value


def _names(model, ids: list[str]) -> dict[str, str]:
    pks = [int(pk) for pk in ids if pk.isdigit()]
    rows = model.objects.filter(pk__in=pks).values_list("pk", "name")
    return {str(pk): name for pk, name in rows}


def security_event_detail(*, event: SecurityEvent) -> str:
    """The security log's `detail` as a reader wants it: roles, teams and regions by their
    names in the page's language, fixed phrases translated; anything else as written."""
    detail = event.detail
    kind = event.kind
    change = re.fullmatch(r"(?:team (\d+): )?(\S+) -> (\S+)", detail)
    if change:
        team, before, after = change.groups()
        if kind == SecurityEventKind.ROLE_CHANGED:
            before, after = _role_name(before), _role_name(after)
        elif kind in (SecurityEventKind.TEAM_CHANGED, SecurityEventKind.REGION_CHANGED):
            model = Team if kind == SecurityEventKind.TEAM_CHANGED else Region
            names = _names(model, [before, after])
            before, after = names.get(before, before), names.get(after, after)
        text = f"{before} → {after}"
        if team:
            team_name = _names(Team, [team]).get(team, team)
            text = _("team %(team)s: %(change)s") % {"team": team_name, "change": text}
        return text
    if kind == SecurityEventKind.USER_INVITED and detail in Role.values:
        return _role_name(detail)
    sessions = re.fullmatch(r"(\d+) ?(.*)", detail)
    if kind == SecurityEventKind.SESSIONS_ENDED and sessions:
        count, reason = int(sessions.group(1)), sessions.group(2)
        text = ngettext("%(count)d sessie", "%(count)d sessies", count) % {"count": count}
        return f"{text}, {_phrase(reason)}" if reason else text
    if detail.startswith("fout bij de identity provider: "):
        return _("fout bij de identity provider: %(error)s") % {
            "error": detail.removeprefix("fout bij de identity provider: ")
        }
    return _phrase(detail)
