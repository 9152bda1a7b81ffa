"""Site-wide pages: the home page, the landing redirect, the health check and error pages."""

import logging
import sys

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from actions.models import Action
from feedback.rounds import open_rounds
from partnership.models import ContentBlock
from partnership.roles import is_coordinator
from portal import public_cache
from portal.middleware import database_unavailable_response, is_database_outage
from portal.shared_cache import shared_cache_available
from portal.workers import alive_workers

logger = logging.getLogger(__name__)


@public_cache.cached_for_anonymous
def home(request):
    return render(
        request,
        "portal/home.html",
        {
            "intro": ContentBlock.objects.filter(key="partnership-intro").first(),
            "actions": Action.objects.all(),
            "open_rounds": open_rounds(),
        },
    )


@login_required
def home_for_user(request):
    """Where a user lands after logging in: the coordinator's or the officer's dashboard."""
    if is_coordinator(request.user):
        return redirect("assessment:coordinator_dashboard")
    return redirect("assessment:dashboard")


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
    return JsonResponse(
        {
            "status": "ok",
            "database": "ok",
            "cache": "ok" if shared_cache_available() else "unreachable",
            "workers": alive_workers().count(),
        }
    )


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
