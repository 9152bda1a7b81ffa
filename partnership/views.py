import logging
import sys

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.db.models import Prefetch
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from actions.models import Action
from feedback.models import FeedbackRound
from partnership import public_cache
from partnership.middleware import database_unavailable_response, is_database_outage
from partnership.models import (
    ContentBlock,
    Meeting,
    MeetingSession,
    PartnerOrganisation,
    is_coordinator,
)

logger = logging.getLogger(__name__)


@public_cache.cached_for_anonymous
def home(request):
    return render(request, "partnership/home.html", {
        "intro": ContentBlock.get_for_language("partnership-intro", get_language()),
        "actions": Action.objects.all(),
        "open_rounds": FeedbackRound.objects.open_at(timezone.now()).prefetch_related("actions"),
    })


@login_required
def home_for_user(request):
    """Where a user lands after logging in: the coordinator's or the officer's dashboard."""
    if is_coordinator(request.user):
        return redirect("assessment:coordinator_dashboard")
    return redirect("assessment:dashboard")


def partnership_page(request):
    sessions = MeetingSession.objects.prefetch_related("actions").order_by("date", "position")
    meetings = Meeting.objects.prefetch_related(Prefetch("sessions", queryset=sessions))
    members = PartnerOrganisation.objects.select_related("authority")
    return render(request, "partnership/about.html", {
        "intro": ContentBlock.get_for_language("partnership-intro", get_language()),
        "priorities": ContentBlock.get_for_language("priority-areas", get_language()),
        "coordinators": [m for m in members if m.role == PartnerOrganisation.Role.COORDINATOR],
        "member_groups": group_members(members),
        "meetings": meetings,
    })


def group_members(members) -> list[tuple[str, list[PartnerOrganisation]]]:
    groups = []
    for kind, label in PartnerOrganisation.Kind.choices:
        in_kind = [m for m in members if m.kind == kind]
        if in_kind:
            groups.append((label, in_kind))
    return groups


def content_page(request, key: str):
    block = ContentBlock.get_for_language(key, get_language())
    return render(request, "partnership/content_page.html", {"page": block})


def privacy(request):
    return content_page(request, "privacy-notice")


def accessibility(request):
    return content_page(request, "accessibility-statement")


@never_cache
@require_GET
def healthz(request):
    """Liveness and database check for load balancers and `make loadtest`."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: database unreachable")
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    """The 500 page, or the 503 of a database outage raised outside any view (e.g. by the
    session middleware saving the session after the view answered)."""
    if is_database_outage(sys.exc_info()[1]):
        return database_unavailable_response()
    return render(request, "500.html", status=500)
