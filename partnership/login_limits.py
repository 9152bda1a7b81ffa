"""How many failed logins lock the login form, and what a successful login forgives.

Two limits apply at once (django-axes counts both, see AXES_LOCKOUT_PARAMETERS): a username
tried from one address is paused after ACCOUNT_FAILURE_LIMIT failures, and an address is paused
after ADDRESS_FAILURE_LIMIT failures over all usernames, which stops someone trying a few
passwords on every account. The address limit is higher because colleagues share a city hall's
address.

A successful login forgives only that username's failures from that address: were the address's
count forgiven too, someone spraying passwords who holds one valid account could log in with it
between rounds and spray forever.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.db.models import Sum

ACCOUNT_FAILURE_LIMIT = 5
ADDRESS_FAILURE_LIMIT = 20


def failure_limit(request, credentials) -> int:
    """The limit axes compares with the larger of its two counts (username + address, address).

    The address count is never below the account count, so: once this account has reached its
    own limit from this address, the account limit applies; until then, only the address limit.
    """
    from axes.attempts import get_cool_off_threshold

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


class LoginLimitsHandler(AxesDatabaseHandler):
    """Axes' database handler, except that a successful login keeps the address's count."""

    def reset_user_attempts(self, request, credentials=None) -> int:
        deleted, _ = AccessAttempt.objects.filter(
            username=get_client_username(request, credentials),
            ip_address=request.axes_ip_address,
        ).delete()
        return deleted
