"""What an Action page shows of public feedback (extended by the feedback app)."""

from django.utils import timezone

from feedback.models import FeedbackRound


def feedback_panel_context(request, action) -> dict:
    now = timezone.now()
    rounds = list(FeedbackRound.objects.filter(actions=action).order_by("-opens_at"))
    open_round = next((r for r in rounds if r.is_open(now)), None)
    return {"feedback_round": open_round or (rounds[0] if rounds else None),
            "feedback_open": open_round is not None, "now": now}
