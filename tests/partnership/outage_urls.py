"""A URLconf whose views fail like a database outage or a bug, for the middleware tests."""

from django.db import OperationalError, connection
from django.http import HttpResponse
from django.urls import include, path


def outage(request):
    raise OperationalError("server closed the connection unexpectedly")


def fail_every_query(execute, sql, params, many, context):
    raise OperationalError("server closed the connection unexpectedly")


def outage_after_the_view(request):
    """Answers fine, then the database goes away before the session middleware saves."""
    request.session["last_seen"] = "now"
    connection.execute_wrappers.append(fail_every_query)
    return HttpResponse("saved")


def bug(request):
    raise ValueError("a bug")


urlpatterns = [
    path("outage/", outage),
    path("outage-after-the-view/", outage_after_the_view),
    path("bug/", bug),
    path("", include("portal.urls")),
]

handler500 = "portal.views.server_error"


class BrokenMiddleware:
    """A middleware with a bug, which must still give the 500 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        self.get_response(request)
        raise ValueError("a bug in a middleware")
