"""Writes for accounts: roles, users and their life (invitation, password links, changes,
deactivation), sessions, demo users, and the security log.

Rules kept here: a Beheerder never sets another user's password (they invite or send a
one-time link); a change of password, role, team or active state ends the user's other
sessions and is written to the security log; nothing in the log holds a password or content.
"""

from django.apps import apps as global_apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import DEFAULT_DB_ALIAS, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from accounts.constants import ROLE_PERMISSIONS, STAFF_ROLES, Role, SecurityEventKind
from accounts.models import Region, SecurityEvent, Team, User, UserSession
from accounts.sessions import session_public_id
from accounts.signals import user_access_changed
from accounts.tokens import invitation_tokens, password_link_tokens


def roles_sync(*, apps=global_apps, using: str = DEFAULT_DB_ALIAS) -> None:
    """Make the three role groups exist with exactly the permissions of ROLE_PERMISSIONS.

    Idempotent. Permissions that do not exist yet (an app not migrated yet) are skipped and
    added on a later run. Works with historical models, so the data migration uses it too.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    known = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.using(using).values_list(
            "pk", "content_type__app_label", "codename"
        )
    }
    for role, perm_names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.using(using).get_or_create(name=role.value)
        group.permissions.set([known[name] for name in perm_names if name in known])


@transaction.atomic
def user_assign_role(*, user: User, role: Role) -> User:
    """Give a user exactly one role. Coördinator and Beheerder work in the back office, so
    they get staff access; a Medewerker never does."""
    group = Group.objects.filter(name=role.value).first()
    if group is None:  # only after a test flush; migrate creates the groups
        roles_sync()
        group = Group.objects.get(name=role.value)
    user.groups.set([group])
    user.is_staff = role in STAFF_ROLES
    user.full_clean()
    user.save(update_fields=["is_staff"])
    user.__dict__.pop("role", None)
    return user


@transaction.atomic
def user_create(
    *,
    email: str,
    password: str,
    role: Role,
    team: Team | None = None,
    display_name: str = "",
) -> User:
    """Create a user with one role; the e-mail address is stored in lower case."""
    user = User(email=email.strip().lower(), team=team, display_name=display_name)
    user.set_password(password)
    user.full_clean()
    user.save()
    return user_assign_role(user=user, role=role)


DEMO_REGION = "Demoregio (voorbeeld)"
DEMO_TEAM = "Wijkteam Demo"
DEMO_PASSWORD = "demo-gesprekswijzer"  # noqa: S105 - dev-only demo accounts, printed on console
DEMO_USERS = (
    ("medewerker@demo.gesprekswijzer.nl", Role.MEDEWERKER, "Demo Medewerker"),
    ("coordinator@demo.gesprekswijzer.nl", Role.COORDINATOR, "Demo Coördinator"),
    ("beheerder@demo.gesprekswijzer.nl", Role.BEHEERDER, "Demo Beheerder"),
)


@transaction.atomic
def demo_users_ensure() -> list[tuple[str, str]]:
    """Create (or reset) one demo user per role in a demo region and team.

    Refused unless settings.DEMO_USERS_ALLOWED (on in dev only): a known password must never
    reach production. Returns (e-mail, role label) pairs.
    """
    if not settings.DEMO_USERS_ALLOWED:
        raise PermissionDenied("Demo users are only created in development.")
    region, _ = Region.objects.get_or_create(name=DEMO_REGION, defaults={"kind": Region.Kind.REGIO})
    team, _ = Team.objects.get_or_create(name=DEMO_TEAM, region=region)
    created = []
    for email, role, name in DEMO_USERS:
        user = User.objects.filter(email=email).first() or User(email=email)
        user.display_name = name
        # The admin works across regions; the others belong to the demo team.
        user.team = None if role == Role.BEHEERDER else team
        user.is_active = True
        user.set_password(DEMO_PASSWORD)
        user.full_clean()
        user.save()
        user_assign_role(user=user, role=role)
        created.append((email, str(role.label)))
    return created


# Where a login view puts the e-mail address: Django's authenticate() gets `username`, axes
# hands its own check the user model's USERNAME_FIELD (`email`), allauth posts `login`.
_CREDENTIAL_KEYS = ("email", "username", "login")


def axes_username(request, credentials) -> str:
    """Axes counts failures per e-mail address, case-insensitively, existing or not.

    The same address must come out of every call axes makes: the lockout check before
    authenticating (credentials keyed by USERNAME_FIELD), the failure record after it
    (credentials as given to authenticate()) and any login view's POST. Reading one key only
    let the right password through from another client while the account was locked."""
    sources = [credentials or {}]
    if request is not None and getattr(request, "method", "") == "POST":
        sources.append(request.POST)
    for source in sources:
        for key in _CREDENTIAL_KEYS:
            value = source.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip().lower()
    return ""


def security_event_record(
    *,
    kind: SecurityEventKind,
    actor: User | None = None,
    subject: User | None = None,
    ip_address: str | None = None,
    detail: str = "",
) -> SecurityEvent:
    """Append one row to the security log. The log never holds case content, a password, or
    an e-mail address someone typed: `detail` is a short, fixed description."""
    event = SecurityEvent(
        kind=kind,
        actor=actor if actor is not None and actor.pk else None,
        subject=subject,
        ip_address=ip_address,
        detail=detail[:200],
    )
    event.full_clean()
    event.save()
    return event


# --- Sessions ------------------------------------------------------------------------------


def sessions_end(
    *,
    user: User,
    actor: User | None,
    keep_session_key: str | None = None,
    ip_address: str | None = None,
    reason: str = "",
) -> int:
    """End every session of `user` except `keep_session_key` (the one making the request).
    Deleting the row is enough: the next request of that browser finds no session."""
    doomed = UserSession.objects.filter(user=user)
    if keep_session_key:
        doomed = doomed.exclude(session_key=keep_session_key)
    count, _deleted = doomed.delete()
    if count:
        security_event_record(
            kind=SecurityEventKind.SESSIONS_ENDED,
            actor=actor,
            subject=user,
            ip_address=ip_address,
            detail=f"{count} {reason}".strip(),
        )
    return count


def session_end_one(
    *, user: User, public_id: str, current_session_key: str | None, ip_address: str | None
) -> bool:
    """A user ends one of their own sessions, chosen by its public id (never its key)."""
    for session_key in UserSession.objects.filter(user=user).values_list("session_key", flat=True):
        if session_public_id(session_key) == public_id:
            UserSession.objects.filter(session_key=session_key).delete()
            security_event_record(
                kind=SecurityEventKind.SESSIONS_ENDED,
                actor=user,
                subject=user,
                ip_address=ip_address,
                detail="1 " + ("eigen" if session_key == current_session_key else "door gebruiker"),
            )
            return True
    return False


# --- Passwords and account life ----------------------------------------------------------


def _password_link(*, user: User, invitation: bool, base_url: str) -> str:
    tokens = invitation_tokens if invitation else password_link_tokens
    name = "accounts:invitation" if invitation else "accounts:password_link"
    path = reverse(
        name,
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": tokens.make_token(user),
        },
    )
    return base_url.rstrip("/") + path


def _send_password_link(*, user: User, invitation: bool, base_url: str, actor: User) -> None:
    hours = (settings.INVITATION_TIMEOUT if invitation else settings.PASSWORD_RESET_TIMEOUT) // 3600
    context = {
        "user": user,
        "link": _password_link(user=user, invitation=invitation, base_url=base_url),
        "hours": hours,
        "days": hours // 24,
        "sender": actor.get_full_name(),
    }
    # The recipient's language is not known before they log in: the product's own language.
    with translation.override(settings.LANGUAGE_CODE):
        if invitation:
            subject = _("Uitnodiging voor Gesprekswijzer")
            body = render_to_string("accounts/email/invitation.txt", context)
        else:
            subject = _("Stel een nieuw wachtwoord in voor Gesprekswijzer")
            body = render_to_string("accounts/email/password_link.txt", context)
    send_mail(subject, body, None, [user.email])


@transaction.atomic
def user_invite(
    *,
    email: str,
    role: Role,
    actor: User,
    base_url: str,
    team: Team | None = None,
    display_name: str = "",
    ip_address: str | None = None,
) -> User:
    """A Beheerder invites a new user: the account is made without a usable password and the
    user sets one through the one-time link in the invitation. Nobody else ever knows it."""
    user = User(email=email.strip().lower(), team=team, display_name=display_name)
    user.set_unusable_password()
    user.full_clean()
    user.save()
    user_assign_role(user=user, role=role)
    security_event_record(
        kind=SecurityEventKind.USER_INVITED, actor=actor, subject=user, ip_address=ip_address,
        detail=str(role.value),
    )  # fmt: skip
    transaction.on_commit(
        lambda: _send_password_link(user=user, invitation=True, base_url=base_url, actor=actor)
    )
    return user


def user_send_password_link(
    *, user: User, actor: User, base_url: str, ip_address: str | None = None
) -> None:
    """A Beheerder sends a user a one-time link to set a new password. The old password keeps
    working until the link is used; a user who never set one gets a fresh invitation."""
    if not user.is_active:
        raise ValidationError(_("Dit account is gedeactiveerd; activeer het eerst."))
    invitation = not user.has_usable_password()
    kind = (
        SecurityEventKind.USER_INVITED if invitation else SecurityEventKind.PASSWORD_RESET_REQUESTED
    )
    security_event_record(
        kind=kind,
        actor=actor, subject=user, ip_address=ip_address,
        detail="opnieuw uitgenodigd" if invitation else "",
    )  # fmt: skip
    _send_password_link(user=user, invitation=invitation, base_url=base_url, actor=actor)


@transaction.atomic
def user_set_password_from_link(
    *, user: User, password: str, invitation: bool, ip_address: str | None = None
) -> User:
    """The user sets their password through a valid one-time link (the view checked the
    token). The password is validated; every session of the user ends."""
    if not user.is_active:
        raise ValidationError(_("Dit account is gedeactiveerd."))
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    security_event_record(
        kind=SecurityEventKind.PASSWORD_RESET_DONE, actor=user, subject=user,
        ip_address=ip_address, detail="via uitnodiging" if invitation else "via herstellink",
    )  # fmt: skip
    sessions_end(user=user, actor=user, ip_address=ip_address, reason="na wachtwoordherstel")
    return user


@transaction.atomic
def user_change_password(
    *, user: User, password: str, keep_session_key: str | None, ip_address: str | None = None
) -> User:
    """A user changes their own password (the form checked the current one). Their other
    sessions end; the one they are using stays."""
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    security_event_record(
        kind=SecurityEventKind.PASSWORD_CHANGED, actor=user, subject=user, ip_address=ip_address
    )
    sessions_end(
        user=user, actor=user, keep_session_key=keep_session_key, ip_address=ip_address,
        reason="na wachtwoordwijziging",
    )  # fmt: skip
    return user


@transaction.atomic
def user_update(
    *,
    user: User,
    actor: User,
    email: str,
    display_name: str,
    team: Team | None,
    role: Role,
    is_active: bool,
    ip_address: str | None = None,
) -> User:
    """A Beheerder changes a user's details, role, team or active state. Every change of
    e-mail, role, team (and so region) or active state is logged; a change of role, team or
    active state ends the user's sessions and tells the apps above (user_access_changed),
    so shares the user may no longer have end with it."""
    before = User.objects.select_related("team").get(pk=user.pk)
    before_role = before.role
    events = []
    if before.email != email.strip().lower():
        events.append((SecurityEventKind.EMAIL_CHANGED, ""))
    if before_role != role:
        events.append(
            (
                SecurityEventKind.ROLE_CHANGED,
                f"{before_role.value if before_role else '-'} -> {role.value}",
            )
        )
    if before.team_id != (team.pk if team else None):
        events.append(
            (
                SecurityEventKind.TEAM_CHANGED,
                f"{before.team_id or '-'} -> {team.pk if team else '-'}",
            )
        )
        new_region = team.region_id if team else None
        old_region = before.team.region_id if before.team else None
        if new_region != old_region:
            events.append(
                (SecurityEventKind.REGION_CHANGED, f"{old_region or '-'} -> {new_region or '-'}")
            )
    if before.is_active != is_active:
        events.append(
            (
                SecurityEventKind.USER_REACTIVATED
                if is_active
                else SecurityEventKind.USER_DEACTIVATED,
                "",
            )
        )
    user.email = email
    user.display_name = display_name
    user.team = team
    user.is_active = is_active
    user.full_clean()
    user.save()
    user_assign_role(user=user, role=role)
    for kind, detail in events:
        security_event_record(
            kind=kind, actor=actor, subject=user, ip_address=ip_address, detail=detail
        )
    access_changed = {k for k, _d in events} & {
        SecurityEventKind.ROLE_CHANGED, SecurityEventKind.TEAM_CHANGED,
        SecurityEventKind.USER_DEACTIVATED, SecurityEventKind.EMAIL_CHANGED,
    }  # fmt: skip
    if access_changed:
        sessions_end(user=user, actor=actor, ip_address=ip_address, reason="na wijziging account")
        user_access_changed.send(sender=User, user=user, actor=actor)
    return user


def user_deactivate(*, user: User, actor: User, ip_address: str | None = None) -> User:
    """Deactivate instead of delete: the user can no longer log in, their sessions end and
    what they were given (case shares) ends with it."""
    return user_update(
        user=user, actor=actor, email=user.email, display_name=user.display_name,
        team=user.team, role=user.role or Role.MEDEWERKER, is_active=False, ip_address=ip_address,
    )  # fmt: skip


@transaction.atomic
def team_save(*, team: Team, actor: User, ip_address: str | None = None) -> Team:
    """Save a team; moving it to another region moves its members with it, which is logged
    once for the team."""
    old_region = Team.objects.filter(pk=team.pk).values_list("region_id", flat=True).first()
    team.full_clean()
    team.save()
    if old_region is not None and old_region != team.region_id:
        security_event_record(
            kind=SecurityEventKind.REGION_CHANGED, actor=actor, ip_address=ip_address,
            detail=f"team {team.pk}: {old_region} -> {team.region_id}",
        )  # fmt: skip
    return team


def login_recorded(*, user: User, ip_address: str | None) -> None:
    security_event_record(
        kind=SecurityEventKind.LOGIN_SUCCEEDED, actor=user, subject=user, ip_address=ip_address
    )


def login_failure_recorded(*, email: str, ip_address: str | None, locked: bool) -> None:
    """A failed login: the account if it exists, never the address typed."""
    subject = User.objects.filter(email__iexact=email.strip()).first() if email else None
    detail = "geblokkeerd" if locked else ""
    if subject is None:
        detail = (detail + " onbekend account").strip()
    security_event_record(
        kind=SecurityEventKind.LOGIN_FAILED, subject=subject, ip_address=ip_address, detail=detail
    )


def lockout_recorded(*, email: str, ip_address: str | None) -> None:
    subject = User.objects.filter(email__iexact=email.strip()).first() if email else None
    security_event_record(
        kind=SecurityEventKind.LOCKED_OUT, subject=subject, ip_address=ip_address,
        detail="" if subject else "onbekend account",
    )  # fmt: skip


def logout_recorded(*, user: User | None, ip_address: str | None, reason: str = "") -> None:
    if user is not None and user.pk:
        security_event_record(
            kind=SecurityEventKind.LOGGED_OUT, actor=user, subject=user, ip_address=ip_address,
            detail=reason,
        )  # fmt: skip
