"""One access function per object type; every assessment view calls one first."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from assessment.models import Assessment
from partnership.models import UrbanAuthority
from partnership.roles import is_coordinator


def get_assessment_for_user(user, pk: int) -> Assessment:
    """The assessment if `user` may see it; 404 otherwise (never confirm another city's data)."""
    queryset = Assessment.objects.visible_to(user).select_related("authority", "questionnaire")
    return get_object_or_404(queryset.distinct(), pk=pk)


def get_editable_assessment(user, pk: int) -> Assessment:
    """The assessment if `user` is one of its officers; 404 for everyone else."""
    queryset = Assessment.objects.filter(authority__memberships__user=user)
    return get_object_or_404(
        queryset.select_related("authority", "questionnaire").distinct(), pk=pk
    )


def get_assessment_for_review(user, pk: int) -> Assessment:
    """The assessment for a coordinator's review; 404 for everyone else, like other cities' data."""
    if not is_coordinator(user):
        raise Http404
    return get_assessment_for_user(user, pk)


def get_own_authority(user, pk: int) -> UrbanAuthority:
    """An authority `user` is an officer of; 404 for everyone else (coordinators included)."""
    if not user.is_authenticated:
        raise Http404
    return get_object_or_404(
        UrbanAuthority.objects.filter(memberships__user=user).distinct(), pk=pk
    )
