"""Spam and abuse protections that need no third party.

- a honeypot field people never see (bots fill it in);
- a signed timestamp in each form: posted too soon after it was shown means a bot;
- a per-address rate limit kept in the shared cache (Redis or the database cache), so that
  every process and node counts together;
- a hash of the normalised text to refuse the same comment twice.

Addresses are never stored: cache keys and report identities are keyed hashes.
"""

import datetime as dt
import hashlib
import re
import time
from dataclasses import dataclass

from django.core import signing
from django.core.cache import cache
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from feedback.conf import setting

FORM_SALT = "feedback.form-token"
HONEYPOT_FIELD = "homepage"


def issue_form_token(*, purpose: str) -> str:
    """A signed note of when (and for what) a form was shown."""
    return signing.dumps({"p": purpose, "t": time.time()}, salt=FORM_SALT)


def form_token_problem(token: str, *, purpose: str) -> str | None:
    """Why a posted form must be refused, or None when its timing is plausible."""
    try:
        data = signing.loads(token or "", salt=FORM_SALT,
                             max_age=setting("FEEDBACK_FORM_MAX_AGE_SECONDS"))
    except signing.SignatureExpired:
        return str(_("This form has expired. Please check your text and send it again."))
    except signing.BadSignature:
        return str(_("This form could not be verified. Please send it again."))
    if data.get("p") != purpose:
        return str(_("This form could not be verified. Please send it again."))
    if time.time() - float(data["t"]) < setting("FEEDBACK_MIN_SECONDS"):
        return str(_("The form was sent too quickly after it was shown. Please read your text "
                     "once more and send it again."))
    return None


def client_ip(request) -> str:
    """The visitor's address; X-Forwarded-For is read only behind trusted proxies."""
    proxies = setting("FEEDBACK_TRUSTED_PROXIES")
    if proxies:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                     if p.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def visitor_hash(request) -> str:
    """Who reported a comment, as a keyed hash of address + browser: the only thing stored."""
    agent = request.META.get("HTTP_USER_AGENT", "")
    key = f"{client_ip(request)}\n{agent}"
    return salted_hmac("feedback.visitor", key, algorithm="sha256").hexdigest()


def text_hash(text: str) -> str:
    """The same words with other spacing or capitals count as the same comment."""
    normalised = re.sub(r"\s+", " ", text).strip().casefold()
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    retry_at: dt.datetime | None = None
    # The shared cache that counts posts is unreachable: refused, since it cannot be counted.
    unavailable: bool = False

    @property
    def retry_after_seconds(self) -> int:
        if self.retry_at is None:
            return 0
        return max(1, int((self.retry_at - timezone.now()).total_seconds()) + 1)


def count_post(request, *, scope: str) -> RateDecision:
    """Count one post from this address in a fixed window; refuse once over the limit.

    The count lives in the shared cache, so posts to every node and process count together;
    while that cache is unreachable nothing can be counted and the post is refused.
    """
    from rendering.cache import shared_cache_available

    if not shared_cache_available():
        return RateDecision(allowed=False, retry_at=timezone.now() + dt.timedelta(seconds=30),
                            unavailable=True)
    limit = setting("FEEDBACK_RATE_LIMIT")
    window = setting("FEEDBACK_RATE_WINDOW_SECONDS")
    address = salted_hmac("feedback.address", client_ip(request), algorithm="sha256").hexdigest()
    key = f"feedback:rate:{scope}:{address}"
    now = time.time()
    state = cache.get(key)
    if state is None or now >= state["start"] + window:
        state = {"start": now, "count": 0}
    ends = state["start"] + window
    if state["count"] >= limit:
        return RateDecision(allowed=False,
                            retry_at=dt.datetime.fromtimestamp(ends, tz=dt.UTC))
    state["count"] += 1
    cache.set(key, state, timeout=max(1, int(ends - now) + 1))
    return RateDecision(allowed=True)
