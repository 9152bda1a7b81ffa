import logging
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.handlers.wsgi import get_bytes_from_wsgi
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

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


class PrivatePagesMiddleware:
    """Nothing shown to a logged-in user is kept by the browser or a shared cache.

    Pages, results.json and CSV exports carry names, scores and e-mail addresses; without
    `no-store` the back button on a shared computer shows them after logout.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


class PermissionsPolicyMiddleware:
    """Sends settings.PERMISSIONS_POLICY: the site uses no camera, microphone, location etc."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


def is_utf8_form_data(data: bytes) -> bool:
    """Whether a query string or URL-encoded body is UTF-8, raw bytes and %XX escapes alike."""
    try:
        unquote_to_bytes(data.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


class RefuseUndecodableInputMiddleware:
    """Bytes that are not UTF-8 in a query string or a posted form get a 400 that says so.

    Django would decode them as Latin-1 (raw bytes) or as U+FFFD (escapes) and the text would
    be stored changed, so nothing of such a request reaches a view.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = get_bytes_from_wsgi(request.META, "QUERY_STRING", "")
        body = b""
        if request.content_type == "application/x-www-form-urlencoded":
            body = request.body
        if not (is_utf8_form_data(query) and is_utf8_form_data(body)):
            reason = _(
                "The form or the address contained characters that could not be read "
                "(they were not UTF-8 text). Nothing was saved from it. Go back, copy your "
                "text again or type it anew, and send it again."
            )
            return render(request, "400.html", {"reason": reason}, status=400)
        return self.get_response(request)


def is_database_outage(exception: BaseException | None) -> bool:
    from django.db import InterfaceError, OperationalError

    return isinstance(exception, OperationalError | InterfaceError)


def database_unavailable_response() -> HttpResponse:
    """503 with Retry-After; the page needs no database (no request context, no session)."""
    from django.template.loader import render_to_string

    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = "5"
    return response


class DatabaseUnavailableMiddleware:
    """A database outage (e.g. a PostgreSQL restart) answers 503 with Retry-After, not a 500.

    Connections recover by themselves (CONN_HEALTH_CHECKS), so the visitor is told to retry.
    This catches the outage in a view; where it surfaces in another middleware (the session
    saved after the view), the 500 handler (portal.views.server_error) answers the same.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_outage(exception):
            return None
        logger.warning("Database unavailable: %s", exception)
        return database_unavailable_response()


class UserLanguageMiddleware:
    """A logged-in person's saved language comes before the cookie and `Accept-Language`.

    Runs after LocaleMiddleware (which has applied the cookie, else `Accept-Language`) and
    AuthenticationMiddleware. The preference is read from the session (copied there at login,
    `partnership.preferences.on_login`), so a page costs no query for it; the response sets the
    language cookie to it, so the pages after logging out stay in the same language.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from partnership import preferences

        if request.user.is_authenticated:
            language = preferences.session_language(request)
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        response = self.get_response(request)
        # Also right after logging in: the view has just put the preference in the session.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            language = preferences.session_language(request)
            if language and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language:
                set_language_cookie(response, language)
        return response


def set_language_cookie(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,  # type: ignore[arg-type]  # "Lax"
    )
