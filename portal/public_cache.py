"""Anonymous visitors' copies of the public pages every citizen opens (home, Action pages).

Why the whole page and not fragments: once the comment list and the Action text come from a
cache, the layout, the comment form and the page-vote form cost as much again, and the pages
must answer at a quarter of a bare "hello" view. So the page's HTML is cached per path (with
its query string) and language, and what belongs to one visitor is put back on every hit:
each CSRF field gets a fresh token of this visitor (`get_token`, which also sets their CSRF
cookie) and each anti-spam form token is issued afresh for its form's purpose. The stored HTML
holds placeholders in their place, never another visitor's token.

Who gets a copy: GET/HEAD requests of anonymous visitors without pending messages and without
htmx (whose partial answers differ), with no query string but a comment page number, and that
number exactly the page shown ("01" or a page past the last is rendered, not stored). Anyone
else gets the page rendered for them.

Invalidation: every key carries a version number, bumped when anything these pages show is
saved or deleted (comments published, hidden or restored, responses, outcomes, rounds, Actions,
links, content blocks; `connect_signals`), and by `load_demo_data`. Entries also expire after
`TIMEOUT`, which bounds how late a round that opens or closes by the clock is shown so.
"""

import hashlib
import re
from collections.abc import Callable
from functools import wraps

from django.contrib.messages import get_messages
from django.core import signing
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

from portal import cache_versions

VERSION_KEY = "public-pages:version"
TIMEOUT = 60
PAGE_PARAMETERS = {"comments"}
CSRF_FIELD = re.compile(r'(<input type="hidden" name="csrfmiddlewaretoken" value=")[^"]*(")')
FORM_TOKEN_FIELD = re.compile(r'(<input type="hidden" name="form_token" value=")([^"]*)(")')
CSRF_PLACEHOLDER = "\x00csrf\x00"
FORM_TOKEN_PLACEHOLDER = re.compile("\x00form-token:([a-z]*)\x00")


def content_version() -> int:
    return cache_versions.current(VERSION_KEY)


def _bump() -> None:
    cache_versions.bump(VERSION_KEY)


def bump_version(**_signal_arguments) -> None:
    """Make every cached public page stale (a signal receiver, and callable directly).

    Bumped at once and again on commit: a page rendered by another request between the save
    and the commit would otherwise be cached with the old data under the new version.
    """
    _bump()
    transaction.on_commit(_bump)


def connect_signals() -> None:
    """Bump the version whenever a model these pages show is saved or deleted."""
    from actions.models import Action, ActionLink
    from feedback.models import Comment, FeedbackRound, OfficialResponse, OutcomeSummary
    from partnership.models import ContentBlock

    for model in (
        Action,
        ActionLink,
        Comment,
        FeedbackRound,
        OfficialResponse,
        OutcomeSummary,
        ContentBlock,
    ):
        uid = f"public-pages-{model._meta.label_lower}"
        post_save.connect(bump_version, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(bump_version, sender=model, dispatch_uid=f"{uid}-delete")
    m2m_changed.connect(
        bump_version,
        sender=FeedbackRound.actions.through,
        dispatch_uid="public-pages-round-actions",
    )


def _known_query(request: HttpRequest) -> bool:
    """Only the comment page number may vary a copy: any other query string is rendered, not
    stored, so that made-up URLs cannot fill the cache."""
    return all(
        key in PAGE_PARAMETERS and value.isdigit() and len(value) < 7
        for key, value in request.GET.items()
    )


def _asked_for_the_page_shown(request: HttpRequest) -> bool:
    """Each page number in the query is the one the page shows (`request.shown_pages`, set by
    the view): "?comments=01" or a page past the last shows another page and is not stored,
    so made-up numbers cannot each fill an entry."""
    shown = getattr(request, "shown_pages", {})
    return all(str(shown.get(key)) == value for key, value in request.GET.items())


def _cacheable(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and _known_query(request)
        and not request.headers.get("HX-Request")
        and not request.user.is_authenticated
        and not len(get_messages(request))
    )


def _key(request: HttpRequest) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"public-page:{content_version()}:{get_language()}:{path}"


def _form_token_placeholder(match: re.Match) -> str:
    from feedback.antispam import FORM_SALT

    try:
        purpose = signing.loads(match[2], salt=FORM_SALT).get("p", "")
    except signing.BadSignature:
        purpose = ""
    return f"{match[1]}\x00form-token:{purpose}\x00{match[3]}"


def without_visitor_tokens(html: str) -> str:
    """The page with placeholders where one visitor's CSRF and form tokens were."""
    html = CSRF_FIELD.sub(lambda m: f"{m[1]}{CSRF_PLACEHOLDER}{m[2]}", html)
    return FORM_TOKEN_FIELD.sub(_form_token_placeholder, html)


def with_visitor_tokens(request: HttpRequest, html: str) -> str:
    """The stored page with fresh tokens of this visitor in place of the placeholders."""
    from feedback.antispam import issue_form_token

    # One masked token for every form of the page, as a rendered page has (the template's
    # `csrf_token` is computed once per render).
    html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    return FORM_TOKEN_PLACEHOLDER.sub(lambda m: issue_form_token(purpose=m[1]), html)


def cached_for_anonymous(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve `view`'s page to anonymous visitors from the cache (see the module)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        stored = cache.get(key)
        if stored is not None:
            content_type, html = stored
            return HttpResponse(with_visitor_tokens(request, html), content_type=content_type)
        response = view(request, *args, **kwargs)
        if (
            response.status_code == 200
            and not response.streaming
            and _asked_for_the_page_shown(request)
        ):
            html = response.content.decode(response.charset)
            cache.set(
                key, (response["Content-Type"], without_visitor_tokens(html)), timeout=TIMEOUT
            )
        return response

    return wrapper


def cached_patterns(patterns: list, names: set[str]) -> list:
    """`patterns` with the views of the URLs named in `names` served through the cache: the
    root URLconf applies it, so the app that owns a page does not import the project package."""
    from django.urls import URLPattern

    return [
        URLPattern(p.pattern, cached_for_anonymous(p.callback), p.default_args, p.name)
        if isinstance(p, URLPattern) and p.name in names
        else p
        for p in patterns
    ]
