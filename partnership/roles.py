"""The coordinator role: a group with every permission on the portal's own models."""

from django.contrib.auth.models import Group, Permission

from partnership.models import COORDINATORS_GROUP

COORDINATOR_APPS = ("partnership", "actions", "assessment", "feedback")


def ensure_coordinator_group() -> Group:
    group, _ = Group.objects.get_or_create(name=COORDINATORS_GROUP)
    wanted = Permission.objects.filter(content_type__app_label__in=COORDINATOR_APPS)
    missing = wanted.exclude(pk__in=group.permissions.values("pk"))
    if missing.exists():
        group.permissions.add(*missing)
    return group
