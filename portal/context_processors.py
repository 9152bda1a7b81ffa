from urllib.parse import urlsplit

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language

from partnership.roles import is_coordinator
from portal.language_review import is_reviewed


def language_review(request):
    """Whether the language shown is reviewed by the partnership (None for English, the
    source), for the footer; read only when a page shows it."""
    language = (get_language() or "en").split("-")[0]
    if language == "en":
        return {"language_reviewed": None}
    return {"language_reviewed": SimpleLazyObject(lambda: {"value": is_reviewed(language)})}


def page_to_return_to(request: HttpRequest) -> str:
    """Where the language menu brings the person back: this page, or for a page answering a
    POST (a form shown again with its errors) the page the form was on, since the POST's own
    address may not answer a GET. Checked again by the switcher (`next`)."""
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(referer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return "/"


def portal(request):
    """Role flags for the navigation; the page the language menu returns to."""
    flags = {"language_next": page_to_return_to(request)}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {**flags, "is_coordinator": False, "is_officer": False}
    coordinator = is_coordinator(user)
    return {
        **flags,
        "is_coordinator": coordinator,
        "is_officer": not coordinator and user.memberships.exists(),
    }
