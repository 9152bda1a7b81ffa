"""Spam and abuse protections that need no third party.

- a honeypot field people never see (bots fill it in);
- a signed timestamp in each form: posted too soon after it was shown means a bot;
- each form token is spent by the post that succeeds (a database row, so every process
  sees it): a replay is refused, and the time trap cannot be passed once and reused;
- a per-address rate limit kept in the shared cache (Redis or the database cache), so that
  every process and node counts together;
- a hash of the normalised text to refuse the same comment twice.

Addresses are never stored: cache keys and report identities are keyed hashes.
"""

import datetime as dt
import hashlib
import ipaddress
import re
import secrets
import time
from dataclasses import dataclass

from django.core import signing
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from feedback.conf import setting
from portal.client_address import client_address

FORM_SALT = "feedback.form-token"
HONEYPOT_FIELD = "homepage"


class FormTokenSpent(Exception):
    """The form token was used by an earlier successful post."""


SPENT_MESSAGE = _(
    "This form has already been sent once. If you want to send it again, check "
    "what is below and send it: the form is new."
)


def issue_form_token(*, purpose: str) -> str:
    """A signed note of when (and for what) a form was shown; the nonce makes each unique."""
    return signing.dumps(
        {"p": purpose, "t": time.time(), "n": secrets.token_urlsafe(9)}, salt=FORM_SALT
    )


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def form_token_is_spent(token: str) -> bool:
    from feedback.models import SpentFormToken

    return bool(token) and SpentFormToken.objects.filter(digest=_token_digest(token)).exists()


def spend_form_token(token: str) -> None:
    """Use the token up; raises FormTokenSpent if a post already did.

    Call it inside the transaction that stores the post: if storing fails the token stays
    valid, and of two simultaneous posts the unique digest lets one through.
    """
    from feedback.models import SpentFormToken

    now = timezone.now()
    max_age = dt.timedelta(seconds=setting("FEEDBACK_FORM_MAX_AGE_SECONDS"))
    try:
        with transaction.atomic():
            SpentFormToken.objects.create(digest=_token_digest(token), spent_at=now)
    except IntegrityError as error:
        raise FormTokenSpent from error
    SpentFormToken.objects.filter(spent_at__lt=now - max_age).delete()


def form_token_problem(token: str, *, purpose: str) -> str | None:
    """Why a posted form must be refused, or None when its timing is plausible."""
    try:
        data = signing.loads(
            token or "", salt=FORM_SALT, max_age=setting("FEEDBACK_FORM_MAX_AGE_SECONDS")
        )
    except signing.SignatureExpired:
        return str(_("This form has expired. Please check your text and send it again."))
    except signing.BadSignature:
        return str(_("This form could not be verified. Please send it again."))
    if data.get("p") != purpose:
        return str(_("This form could not be verified. Please send it again."))
    if time.time() - float(data["t"]) < setting("FEEDBACK_MIN_SECONDS"):
        return str(
            _(
                "The form was sent too quickly after the page opened, as automatic "
                "programs do. Nothing is lost: please wait a moment and send it again."
            )
        )
    if form_token_is_spent(token):
        return str(SPENT_MESSAGE)
    return None


def client_network(request) -> str:
    """The visitor's address as one person's reach: an IPv4 address, or the /64 an IPv6
    address belongs to (one home or phone gets a whole /64 and may pick any address in it)."""
    address = client_address(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6 and parsed.ipv4_mapped:
        return str(parsed.ipv4_mapped)
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def reporter_hash(request) -> str:
    """Who reported a comment, as a keyed hash of their network: the only thing stored.

    The browser (User-Agent) is left out on purpose: anyone can change it at will."""
    return salted_hmac("feedback.reporter", client_network(request), algorithm="sha256").hexdigest()


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
    """Count one post from this network in a window; refuse once over the limit.

    The count lives in the shared cache, so posts to every node and process count together;
    while that cache is unreachable nothing can be counted and the post is refused. The
    window opens with `add` and the count goes up with `incr`, which Redis does atomically,
    so posts sent in parallel cannot slip through between a read and a write. A network is
    one IPv4 address or one IPv6 /64 (`client_network`): picking another address of one's
    own /64 does not open a new window.
    """
    from portal.shared_cache import shared_cache_available

    if not shared_cache_available():
        return RateDecision(
            allowed=False, retry_at=timezone.now() + dt.timedelta(seconds=30), unavailable=True
        )
    limit = setting("FEEDBACK_RATE_LIMIT")
    window = setting("FEEDBACK_RATE_WINDOW_SECONDS")
    network = salted_hmac("feedback.address", client_network(request), algorithm="sha256")
    start_key = f"feedback:rate:{scope}:{network.hexdigest()}:start"
    count_key = f"feedback:rate:{scope}:{network.hexdigest()}:count"
    now = time.time()
    start = cache.get(start_key)
    if start is None or now >= start + window:
        if start is not None:
            cache.delete_many([start_key, count_key])
        cache.add(start_key, now, timeout=window + 1)
        cache.add(count_key, 0, timeout=window + 1)
        start = cache.get(start_key, now)
    try:
        count = cache.incr(count_key)
    except ValueError:  # the count expired between the two calls
        cache.add(count_key, 1, timeout=window + 1)
        count = 1
    if count > limit:
        ends = start + window
        return RateDecision(allowed=False, retry_at=dt.datetime.fromtimestamp(ends, tz=dt.UTC))
    return RateDecision(allowed=True)
