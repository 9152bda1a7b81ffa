"""Whose address a request comes from: the one rule for the login limits, the feedback
anti-spam and the open-data rate limit.

Without proxies (TRUSTED_PROXIES = 0) it is REMOTE_ADDR and X-Forwarded-For is ignored: any
visitor can write that header. Behind N trusted proxies, each appends the address it saw, so
the visitor's address is the N-th entry from the right: the right-most one no trusted proxy
wrote. Entries to its left were written by the visitor and are never read.
"""

import ipaddress

from django.conf import settings


def client_address(request) -> str:
    """The visitor's address; REMOTE_ADDR when the header is missing, short or malformed."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = int(getattr(settings, "TRUSTED_PROXIES", 0))
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < proxies:
        return remote
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
