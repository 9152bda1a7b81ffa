"""A bare "hello" view behind the site's own middleware: the throughput baseline of the table.

`bench/run.py` times it with ROOT_URLCONF pointing here, so it pays for exactly what every page
of the site pays (sessions, CSRF, locale, security headers) and nothing of its own.
"""

from django.http import HttpResponse
from django.urls import path


def hello(request):
    return HttpResponse("Hello, world")


urlpatterns = [path("hello", hello)]
