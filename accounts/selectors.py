"""Reads for accounts."""

from django.urls import reverse

from accounts.constants import Role
from accounts.models import User


def user_landing_url(*, user: User) -> str:
    """Where a user lands after login: the page that fits their role."""
    if user.role == Role.BEHEERDER:
        return reverse("admin:index")
    if user.role == Role.COORDINATOR:
        return reverse("accounts:coordinator_home")
    return reverse("cases:list")
