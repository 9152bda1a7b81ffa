"""A URLconf whose views fail like a database outage or a bug, for the middleware tests."""

from django.db import OperationalError
from django.urls import include, path


def outage(request):
    raise OperationalError("server closed the connection unexpectedly")


def bug(request):
    raise ValueError("a bug")


urlpatterns = [path("outage/", outage), path("bug/", bug), path("", include("portal.urls"))]

handler500 = "portal.views.server_error"
