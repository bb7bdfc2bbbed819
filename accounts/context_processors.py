from accounts.constants import Role


def roles(request):
    """Role flags for the navigation. Showing a link is a convenience; every view checks
    access itself."""
    user = getattr(request, "user", None)
    role = user.role if user is not None and user.is_authenticated else None
    return {
        "user_role": role,
        "is_worker": role == Role.MEDEWERKER,
        "is_coordinator": role == Role.COORDINATOR,
        "is_beheerder": role == Role.BEHEERDER,
    }
