"""Reads for accounts."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.constants import Role
from accounts.models import User, UserSession
from accounts.sessions import session_public_id


def user_landing_url(*, user: User) -> str:
    """Where a user lands after login: the page that fits their role."""
    if user.role == Role.BEHEERDER:
        return reverse("admin:index")
    if user.role == Role.COORDINATOR:
        return reverse("accounts:coordinator_home")
    return reverse("cases:list")


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
