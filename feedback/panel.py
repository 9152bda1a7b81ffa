"""What an Action page shows of public feedback: the round's state, the form, the comments."""

from django.core.paginator import Paginator
from django.utils import timezone

from feedback.conf import setting
from feedback.forms import CommentForm
from feedback.models import Comment, FeedbackRound, OutcomeSummary
from feedback.rounds import time_left


def round_notice_context(action, moment=None) -> dict:
    """The rounds of an Action relative to `moment`: open, next to open, and closed ones
    (newest first, each with its outcome summary)."""
    now = moment or timezone.now()
    rounds = list(FeedbackRound.objects.filter(actions=action).order_by("-opens_at"))
    open_round = next((r for r in rounds if r.is_open(now)), None)
    upcoming = sorted((r for r in rounds if r.opens_at > now), key=lambda r: r.opens_at)
    closed = [r for r in rounds if r.has_closed(now)]
    outcomes = {}
    if closed:
        outcomes = {
            o.round_id: o
            for o in OutcomeSummary.objects.filter(action=action, round__in=[r.pk for r in closed])
        }
    return {
        "feedback_round": open_round or (rounds[0] if rounds else None),
        "feedback_open": open_round is not None,
        "feedback_upcoming": upcoming[0] if upcoming else None,
        "feedback_past": [(r, outcomes.get(r.pk)) for r in closed],
        "feedback_has_rounds": bool(rounds),
        "feedback_time_left": time_left(open_round.closes_at, now) if open_round else "",
        "now": now,
    }


def feedback_panel_context(request, action) -> dict:
    context = round_notice_context(action)
    if context["feedback_open"]:
        context["form"] = CommentForm(round=context["feedback_round"], action=action)
    paginator = Paginator(
        Comment.objects.published_for(action), setting("FEEDBACK_COMMENTS_PER_PAGE")
    )
    page = paginator.get_page(request.GET.get("comments"))
    context["comments_page"] = page
    # The page really shown (get_page turns "01", "0" or "999999" into a valid one): the
    # public page cache stores a copy only when the query asked for exactly this page.
    request.shown_pages = {**getattr(request, "shown_pages", {}), "comments": page.number}
    return context
