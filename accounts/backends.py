"""The login baseline: every request of a logged-in person reads the session and the user.
The user comes with their team, region and role in that one query, so a page pays two
queries for being logged in, not four."""

from django.contrib.auth import backends, get_user_model
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef

from accounts.constants import Role

# Most powerful first: the role a user with several groups gets (see User.role).
ROLES = (Role.BEHEERDER, Role.COORDINATOR, Role.MEDEWERKER)


def _has_role(role: Role):
    return Exists(Group.objects.filter(user=OuterRef("pk"), name=role.value))


class ModelBackend(backends.ModelBackend):
    """Django's ModelBackend, fetching a session's user with team, region and role."""

    def get_user(self, user_id):
        users = (
            get_user_model()
            ._default_manager.select_related("team__region")
            .annotate(**{f"has_role_{n}": _has_role(role) for n, role in enumerate(ROLES)})
        )
        try:
            user = users.get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        # User.role is a cached_property: give it the answer the query brought along.
        user.__dict__["role"] = next(
            (role for n, role in enumerate(ROLES) if getattr(user, f"has_role_{n}")), None
        )
        return user if self.user_can_authenticate(user) else None
