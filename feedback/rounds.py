"""Round timing in Brussels time, decided on the server at each request."""

import calendar
import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext, ngettext

from feedback.models import FeedbackRound

BRUSSELS = ZoneInfo("Europe/Brussels")


def brussels_window(first_day: dt.date, last_day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Opening (00:00:00) and closing (23:59:59) instants of a round, in Brussels time."""
    opens_at = dt.datetime.combine(first_day, dt.time(0, 0, 0), tzinfo=BRUSSELS)
    closes_at = dt.datetime.combine(last_day, dt.time(23, 59, 59), tzinfo=BRUSSELS)
    return opens_at, closes_at


def add_months(moment: dt.datetime, months: int) -> dt.datetime:
    """The same wall-clock time `months` later in Brussels, on the last day if the month is
    shorter (31 August + 6 months = 28 or 29 February)."""
    local = timezone.localtime(moment, BRUSSELS)
    month_index = local.month - 1 + months
    year, month = local.year + month_index // 12, month_index % 12 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day)


def open_round_for(action, moment: dt.datetime | None = None) -> FeedbackRound | None:
    """The round in which `action` takes comments at `moment` (the latest, if several)."""
    moment = moment or timezone.now()
    return (
        FeedbackRound.objects.open_at(moment).filter(actions=action).order_by("-opens_at").first()
    )


def time_left(closes_at: dt.datetime, now: dt.datetime) -> str:
    """How long a round stays open, in whole days (or hours on the last day)."""
    seconds = max(0.0, (closes_at - now).total_seconds())
    days, hours = int(seconds // 86400), int(seconds // 3600)
    if days:
        return ngettext("%(count)d day left", "%(count)d days left", days) % {"count": days}
    if hours:
        return ngettext("%(count)d hour left", "%(count)d hours left", hours) % {"count": hours}
    return gettext("less than an hour left")


def open_rounds(moment: dt.datetime | None = None) -> list[FeedbackRound]:
    """The rounds open at `moment`, with their Actions (the home page lists them)."""
    return list(FeedbackRound.objects.open_at(moment or timezone.now()).prefetch_related("actions"))
