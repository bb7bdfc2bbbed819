"""Writes for accounts: roles, role assignment, demo users."""

from django.apps import apps as global_apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import DEFAULT_DB_ALIAS, transaction

from accounts.constants import ROLE_PERMISSIONS, STAFF_ROLES, Role, SecurityEventKind
from accounts.models import Region, SecurityEvent, Team, User


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


def axes_username(request, credentials) -> str:
    """Axes counts failures per e-mail address, case-insensitively, existing or not."""
    username = ""
    if credentials:
        username = credentials.get("username", "")
    elif request is not None:
        username = request.POST.get("username", "")
    return (username or "").strip().lower()


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
