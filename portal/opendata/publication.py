"""When a cycle's figures are published, and which approvals they count.

Figures that change with every approval give an authority's scores away to whoever compares
them before and after it (n'·mean' − n·mean). So a cycle (a calendar year) is published only
once it is closed: at its cut-off, `OPENDATA_GRACE_MONTHS` (default 3) into the following
year, and its figures count only the approvals made before that cut-off. Published figures
therefore never change; a cycle before its cut-off is not listed anywhere.
"""

import datetime as dt

from django.conf import settings
from django.utils import timezone


def cutoff_date(cycle: int, *, grace_months: int) -> dt.date:
    """The first day on which `cycle` is published: 1 January of the following year plus
    `grace_months` months (3 gives 1 April)."""
    months = 12 * (cycle + 1) + grace_months
    return dt.date(months // 12, 1 + months % 12, 1)


def grace_months() -> int:
    return int(getattr(settings, "OPENDATA_GRACE_MONTHS", 3))


def cutoff(cycle: int) -> dt.datetime:
    """The cut-off as an instant: midnight at the start of `cutoff_date`, in the site's zone."""
    day = cutoff_date(cycle, grace_months=grace_months())
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def is_published(cycle: int) -> bool:
    return timezone.now() >= cutoff(cycle)
