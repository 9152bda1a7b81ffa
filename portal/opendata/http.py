"""What every open-data response shares: read-only, open to any origin, rate-limited per
address in the shared cache, cacheable by browsers and proxies, with an ETag.

The HTML page "The field in figures" is not wrapped: it is a page of the site (sessions,
language), not a resource for other origins.
"""

from __future__ import annotations

import hashlib
import json
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.utils.crypto import salted_hmac
from django.utils.http import parse_etags
from django.utils.translation import gettext_noop
from django.views.decorators.csrf import csrf_exempt

from portal.client_address import client_address

LICENSE = {
    "id": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "url": "https://creativecommons.org/licenses/by/4.0/",
    # In English in the data files; the page shows it in the reader's language.
    "attribution": gettext_noop(
        "Urban Agenda for the EU, Partnership on Security in Public Spaces"
    ),
}
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def rate_limit() -> tuple[int, int]:
    """(requests, seconds) allowed per address: settings.OPENDATA_RATE_LIMIT, default 120/60."""
    limit = getattr(settings, "OPENDATA_RATE_LIMIT", (120, 60))
    return int(limit[0]), int(limit[1])


def max_age() -> int:
    return int(getattr(settings, "OPENDATA_MAX_AGE_SECONDS", 300))


def seconds_until_allowed(request) -> int:
    """Count this request for its address; 0 when allowed, else the seconds to wait.

    A fixed window per address in the shared cache (`cache.add` + `cache.incr`, atomic on
    Redis and the database cache), so every worker and node counts the same requests. The
    address is the site's one rule, `portal.client_address` (TRUSTED_PROXIES).
    """
    limit, window = rate_limit()
    now = time.time()
    start = int(now // window) * window
    address = salted_hmac(
        "opendata.address", client_address(request), algorithm="sha256"
    ).hexdigest()
    key = f"opendata:rate:{address[:32]}:{start}"
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 1)
        count = 1
    return 0 if count <= limit else max(1, int(start + window - now) + 1)


def cache_control(request) -> str:
    """Public for cookie-less readers (the API's clients). A request with a session cookie
    may get a Set-Cookie back (sessions are saved on every request): such a response must
    never sit in a shared cache, and a logged-in user's pages are never stored at all."""
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return "private, no-store"
    return f"public, max-age={max_age()}"


def _cors(response: HttpResponse) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = "ETag, Link, Retry-After"
    return response


def _etag(content: bytes) -> str:
    return f'"{hashlib.sha256(content).hexdigest()[:32]}"'


def too_many_requests(retry_after: int) -> JsonResponse:
    response = JsonResponse(
        {"detail": "Too many requests from your address; try again in a moment."}, status=429
    )
    response["Retry-After"] = str(retry_after)
    return response


CACHEABLE_PARAMETERS = {"group", "page", "page_size", "action"}
NUMBER_PARAMETERS = {"page", "page_size", "action"}
RESPONSE_HEADERS = ("Content-Type", "Content-Disposition", "Link")


def _canonical_number(value: str) -> bool:
    """ "2", not "02" or " 2": one spelling per number, so one cache entry per page."""
    return value.isdigit() and value.isascii() and str(int(value)) == value


def response_cache_key(request) -> str | None:
    """Where a 200 response to `request` is kept in the shared cache, under the approved
    field's generation; None for unknown or long parameters (they would only fill the cache)."""
    from assessment import approval_generation

    query = request.GET
    if any(
        k not in CACHEABLE_PARAMETERS
        or len(query.getlist(k)) > 1
        or len(query[k]) > 10
        or (k in NUMBER_PARAMETERS and not _canonical_number(query[k]))
        for k in query
    ):
        return None
    normalised = "&".join(f"{k}={query[k]}" for k in sorted(query))
    digest = hashlib.sha256(f"{request.path}?{normalised}".encode()).hexdigest()[:32]
    return f"opendata:{approval_generation.current()}:response:{digest}"


def _respond(view, request, *args, **kwargs) -> HttpResponse:
    """The view's response, from the shared cache when a copy is there (max-age seconds at
    most, so feedback figures are never staler than browsers are told they may be)."""
    key = response_cache_key(request)
    cached = cache.get(key) if key else None
    if cached is not None:
        content, headers = cached
        response = HttpResponse(content)
        for header, value in headers.items():
            response[header] = value
        return response
    response = view(request, *args, **kwargs)
    if key and response.status_code == 200 and not response.streaming:
        headers = {h: response[h] for h in RESPONSE_HEADERS if h in response}
        cache.set(key, (response.content, headers), timeout=max_age())
    return response


def open_data(view):
    """Wrap a view that returns an open-data resource (JSON, CSV or JSON-LD)."""

    @csrf_exempt
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in SAFE_METHODS:
            return _cors(HttpResponseNotAllowed(SAFE_METHODS))
        retry_after = seconds_until_allowed(request)
        if retry_after:
            return _cors(too_many_requests(retry_after))
        if request.method == "OPTIONS":  # a CORS preflight
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            response["Access-Control-Allow-Headers"] = "If-None-Match"
            response["Access-Control-Max-Age"] = "86400"
            return _cors(response)
        head = request.method == "HEAD"
        if head:  # answered as GET (the API's operations only know GET), without the body
            request.method = "GET"
        response = _respond(view, request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            etag = _etag(response.content)
            response["ETag"] = etag
            response["Cache-Control"] = cache_control(request)
            if etag in parse_etags(request.headers.get("If-None-Match", "")) or (
                request.headers.get("If-None-Match", "").strip() == "*"
            ):
                not_modified = HttpResponse(status=304)
                for header in ("ETag", "Cache-Control", "Link"):
                    if header in response:
                        not_modified[header] = response[header]
                return _cors(not_modified)
        elif response.status_code in (404, 422, 400):
            response["Cache-Control"] = "public, max-age=60"
        if head and not response.streaming:
            response["Content-Length"] = str(len(response.content))
            response.content = b""
        return _cors(response)

    return wrapped


def json_response(data) -> HttpResponse:
    """Compact UTF-8 JSON (the API's own responses come from django-ninja)."""
    return HttpResponse(
        json.dumps(data, ensure_ascii=False, separators=(",", ":")), content_type="application/json"
    )
