from django.utils.functional import SimpleLazyObject
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


def portal(request):
    """Role flags for the navigation."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"is_coordinator": False, "is_officer": False}
    coordinator = is_coordinator(user)
    return {
        "is_coordinator": coordinator,
        "is_officer": not coordinator and user.memberships.exists(),
    }
