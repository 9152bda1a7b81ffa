"""The coordinator role, importable by every app (it lives on the lowest floor that knows users).

Coordinators are the members of one group with every permission on the portal's own models;
superusers count as coordinators.
"""

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied

COORDINATORS_GROUP = "Coordinators"
COORDINATOR_APPS = ("partnership", "actions", "assessment", "feedback")


def is_coordinator(user) -> bool:
    """Coordinators see every authority's data; superusers count as coordinators."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_is_coordinator", None)
    if cached is None:
        cached = user.groups.filter(name=COORDINATORS_GROUP).exists()
        user._is_coordinator = cached
    return cached


def require_coordinator(user) -> None:
    """Refuse (403) anyone but a coordinator; for pages whose existence is no secret."""
    if not is_coordinator(user):
        raise PermissionDenied


def ensure_coordinator_group() -> Group:
    group, _ = Group.objects.get_or_create(name=COORDINATORS_GROUP)
    wanted = Permission.objects.filter(content_type__app_label__in=COORDINATOR_APPS)
    missing = wanted.exclude(pk__in=group.permissions.values("pk"))
    if missing.exists():
        group.permissions.add(*missing)
    return group
