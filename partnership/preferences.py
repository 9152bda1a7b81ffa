"""Which language a person reads: the interface's order of sources, and every e-mail's.

The interface: the saved preference, then the language cookie, then `Accept-Language`
(`portal.middleware.UserLanguageMiddleware` applies the first; Django's LocaleMiddleware the
other two). E-mails, sent outside any request: `language_of(user)`, the saved preference, then
the language the person last logged in with, then the site's. A code that is no longer in
`settings.LANGUAGES` is skipped at every step, so removing a language never breaks a page or
an e-mail: its readers fall back to the next source.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.http import HttpRequest

from partnership.models import UserPreference

# The saved preference, copied into the session at login ("" = none saved), so that pages
# cost no query for it.
SESSION_KEY = "preferred_language"


def shipped_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def shipped_or_none(code: str | None) -> str | None:
    return code if code and code in shipped_languages() else None


def shipped_or_default(code: str | None) -> str:
    """`code` if it is shipped, else the site's language (comments, stored codes)."""
    return shipped_or_none(code) or settings.LANGUAGE_CODE


def _preference(user) -> UserPreference | None:
    if not getattr(user, "pk", None):
        return None
    return UserPreference.objects.filter(user=user).first()


def saved_language(user) -> str | None:
    """The language the person chose, if it is still shipped."""
    preference = _preference(user)
    return shipped_or_none(preference.language) if preference else None


def _language_in(preference: UserPreference | None) -> str:
    if preference is None:
        return settings.LANGUAGE_CODE
    return (
        shipped_or_none(preference.language)
        or shipped_or_none(preference.last_language)
        or settings.LANGUAGE_CODE
    )


def language_of(user) -> str:
    """The language to write to `user` in: chosen, else last logged in with, else the site's."""
    return _language_in(_preference(user))


def by_language(users: Iterable) -> dict[str, list]:
    """`users` grouped by `language_of`, in one query for all their preferences."""
    users = list(users)
    preferences = {p.user_id: p for p in UserPreference.objects.filter(user__in=users)}
    groups: dict[str, list] = defaultdict(list)
    for user in users:
        groups[_language_in(preferences.get(user.pk))].append(user)
    return dict(groups)


def save_language(*, user, language: str) -> None:
    """Save the person's choice ("" = follow the browser)."""
    UserPreference.objects.update_or_create(user=user, defaults={"language": language})


def remember_in_session(request: HttpRequest, language: str) -> None:
    request.session[SESSION_KEY] = language


def session_language(request: HttpRequest) -> str | None:
    """The saved preference of the logged-in person, read from their session (from the
    database once, for a session that predates it), if still shipped."""
    if SESSION_KEY not in request.session:
        preference = _preference(request.user)
        remember_in_session(request, preference.language if preference else "")
    return shipped_or_none(request.session[SESSION_KEY])


def on_login(sender, request, user, **kwargs) -> None:
    """`user_logged_in`: the saved preference applies from this request on (the middleware
    sets the cookie with the response), and this log-in's language is recorded for e-mails."""
    from django.utils.translation import get_language

    preference = UserPreference.objects.filter(user=user).first() or UserPreference(user=user)
    language = shipped_or_none(get_language())
    if language and preference.last_language != language:
        preference.last_language = language
        preference.save()
    if request is not None and hasattr(request, "session"):
        remember_in_session(request, preference.language)
