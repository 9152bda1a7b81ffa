import logging

from django.http import HttpResponse

logger = logging.getLogger(__name__)


class HtmxMiddleware:
    """Sets `request.htmx` so views can return a partial for htmx and a full page otherwise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.htmx = request.headers.get("HX-Request") == "true"
        response = self.get_response(request)
        if request.htmx:
            response.headers.setdefault("Vary", "HX-Request")
        return response


class DatabaseUnavailableMiddleware:
    """A database outage (e.g. a PostgreSQL restart) answers 503 with Retry-After, not a 500.

    Connections recover by themselves (CONN_HEALTH_CHECKS), so the visitor is told to retry.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.db import InterfaceError, OperationalError
        from django.template.loader import render_to_string

        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.warning("Database unavailable: %s", exception)
        html = render_to_string("503.html")
        response = HttpResponse(html, status=503)
        response["Retry-After"] = "5"
        return response
