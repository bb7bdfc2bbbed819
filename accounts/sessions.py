"""The session engine (SESSION_ENGINE = "accounts.sessions") and the session limits.

Django's database sessions, with the user, login time, last activity, address and browser kept
in columns of accounts.UserSession, so a user's sessions can be listed and ended without
decoding every session. The limits are plain functions on the session's own data, so the
middleware, the list of sessions and the tests share them.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DBStore
from django.utils import timezone
from django.utils.crypto import salted_hmac

# Keys in the session data (login time, last activity as POSIX seconds; address; browser).
STARTED = "_gw_started"
SEEN = "_gw_seen"
IP = "_gw_ip"
AGENT = "_gw_agent"

# Activity is written back at most this often, so most requests cost no session write.
ACTIVITY_RESOLUTION = dt.timedelta(seconds=60)


def _time(value) -> dt.datetime | None:
    if not isinstance(value, int | float):
        return None
    return dt.datetime.fromtimestamp(value, tz=dt.UTC)


class SessionStore(DBStore):
    @classmethod
    def get_model_class(cls):
        from accounts.models import UserSession

        return UserSession

    def create_model_instance(self, data):
        obj = super().create_model_instance(data)
        user_id = data.get("_auth_user_id")
        obj.user_id = int(user_id) if user_id and str(user_id).isdigit() else None
        obj.started_at = _time(data.get(STARTED))
        obj.last_seen_at = _time(data.get(SEEN))
        obj.ip_address = data.get(IP) or None
        obj.user_agent = (data.get(AGENT) or "")[:200]
        return obj


class Expiry:
    IDLE = "idle"
    ABSOLUTE = "absolute"


@dataclass(frozen=True)
class SessionState:
    expired: str | None  # None, Expiry.IDLE or Expiry.ABSOLUTE
    touch: bool  # write the new activity time back


def session_start(session, *, now: dt.datetime, ip_address: str | None, user_agent: str) -> None:
    """Start the clocks of a freshly logged-in session."""
    session[STARTED] = now.timestamp()
    session[SEEN] = now.timestamp()
    session[IP] = ip_address
    session[AGENT] = user_agent[:200]


def session_state(session, *, now: dt.datetime) -> SessionState:
    """Is this logged-in session past its idle timeout or its absolute limit? A session
    without clocks (made before these limits existed) starts them now."""
    started, seen = session.get(STARTED), session.get(SEEN)
    if not isinstance(started, int | float) or not isinstance(seen, int | float):
        return SessionState(expired=None, touch=True)
    stamp = now.timestamp()
    if stamp - started >= settings.SESSION_ABSOLUTE_LIMIT.total_seconds():
        return SessionState(expired=Expiry.ABSOLUTE, touch=False)
    if stamp - seen >= settings.SESSION_IDLE_TIMEOUT.total_seconds():
        return SessionState(expired=Expiry.IDLE, touch=False)
    return SessionState(expired=None, touch=stamp - seen >= ACTIVITY_RESOLUTION.total_seconds())


def session_touch(session, *, now: dt.datetime, ip_address: str | None, user_agent: str):
    session.setdefault(STARTED, now.timestamp())
    session[SEEN] = now.timestamp()
    session[IP] = ip_address
    session[AGENT] = user_agent[:200]


def session_public_id(session_key: str) -> str:
    """A stable id for a session that is safe to show: the key itself is a credential."""
    return salted_hmac("accounts.sessions.public_id", session_key).hexdigest()[:20]


def session_is_live(obj, *, now: dt.datetime | None = None) -> bool:
    """Would this UserSession row still let its user in?"""
    now = now or timezone.now()
    if obj.expire_date <= now or obj.started_at is None or obj.last_seen_at is None:
        return False
    return (
        now - obj.started_at < settings.SESSION_ABSOLUTE_LIMIT
        and now - obj.last_seen_at < settings.SESSION_IDLE_TIMEOUT
    )
