from partnership.roles import is_coordinator


def portal(request):
    """Role flags for the navigation."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"is_coordinator": False, "is_officer": False}
    coordinator = is_coordinator(user)
    return {
        "is_coordinator": coordinator,
        "is_officer": not coordinator and user.memberships.exists(),
    }
