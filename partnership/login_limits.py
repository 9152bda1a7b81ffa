"""How many failed logins lock the login form, and whose address a request comes from.

Two limits apply at once (django-axes counts both, see AXES_LOCKOUT_PARAMETERS): a username
tried from one address is paused after ACCOUNT_FAILURE_LIMIT failures, and an address is paused
after ADDRESS_FAILURE_LIMIT failures over all usernames, which stops someone trying a few
passwords on every account. The address limit is higher because colleagues share a city hall's
address.
"""

from django.conf import settings
from django.db.models import Sum

ACCOUNT_FAILURE_LIMIT = 5
ADDRESS_FAILURE_LIMIT = 20


def client_ip(request) -> str:
    """The visitor's address: REMOTE_ADDR, or behind TRUSTED_PROXIES proxies the address the
    outermost of them saw (X-Forwarded-For is ignored without proxies, so it cannot be spoofed).
    """
    proxies = settings.TRUSTED_PROXIES
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def failure_limit(request, credentials) -> int:
    """The limit axes compares with the larger of its two counts (username + address, address).

    The address count is never below the account count, so: once this account has reached its
    own limit from this address, the account limit applies; until then, only the address limit.
    """
    from axes.attempts import get_cool_off_threshold
    from axes.helpers import get_client_username
    from axes.models import AccessAttempt

    account_failures = (
        AccessAttempt.objects.filter(
            username=get_client_username(request, credentials),
            ip_address=request.axes_ip_address,
            attempt_time__gte=get_cool_off_threshold(request),
        ).aggregate(total=Sum("failures_since_start"))["total"]
        or 0
    )
    if account_failures >= ACCOUNT_FAILURE_LIMIT:
        return ACCOUNT_FAILURE_LIMIT
    return ADDRESS_FAILURE_LIMIT
