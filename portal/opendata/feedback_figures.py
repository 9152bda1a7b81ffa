"""Public-feedback statistics per round and Action, with the outcomes ("you said, we did").

Counts of comments, not of authorities: commenters are anonymous and no figure names anyone,
so nothing is suppressed. Cached for a few minutes (moderation changes them all day long).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone

from feedback.models import Comment, FeedbackRound, OutcomeSummary

CACHE_TIMEOUT = 5 * 60
Status = Comment.Status


@dataclass(frozen=True)
class ActionFeedback:
    action: int
    received: int
    published: int
    pending: int
    hidden: int
    rejected: int
    responded: int
    outcome: str  # "" until the partnership writes it


@dataclass(frozen=True)
class RoundFeedback:
    slug: str
    title: str
    opens_at: str  # ISO 8601
    closes_at: str
    is_open: bool
    actions: tuple[ActionFeedback, ...]

    @property
    def received(self) -> int:
        return sum(a.received for a in self.actions)

    @property
    def published(self) -> int:
        return sum(a.published for a in self.actions)


def feedback_rounds() -> tuple[RoundFeedback, ...]:
    """Every round that has opened, newest first, with its counts (three queries, cached)."""
    key = "opendata:feedback-rounds"
    value = cache.get(key)
    if value is None:
        value = _compute()
        cache.set(key, value, timeout=CACHE_TIMEOUT)
    return value


def _compute() -> tuple[RoundFeedback, ...]:
    now = timezone.now()
    rounds = list(
        FeedbackRound.objects.filter(opens_at__lte=now)
        .prefetch_related("actions")
        .order_by("-opens_at", "pk")
    )
    counts: dict[tuple[int, int], Mapping[str, Any]] = {
        (row["round_id"], row["action__number"]): row
        for row in Comment.objects.filter(round__in=rounds)
        .values("round_id", "action__number")
        .annotate(
            received=Count("pk"),
            **{status: Count("pk", filter=Q(status=status)) for status in Status.values},
            responded=Count("pk", filter=Q(response__isnull=False)),
        )
        .order_by()
    }
    outcomes = {
        (round_id, number): body
        for round_id, number, body in OutcomeSummary.objects.filter(round__in=rounds).values_list(
            "round_id", "action__number", "body"
        )
    }
    result = []
    for feedback_round in rounds:
        numbers = sorted(
            {a.number for a in feedback_round.actions.all()}
            | {a for r, a in counts if r == feedback_round.pk}
        )
        actions = []
        for number in numbers:
            row = counts.get((feedback_round.pk, number), {})
            actions.append(
                ActionFeedback(
                    action=number,
                    received=row.get("received", 0),
                    published=row.get(Status.PUBLISHED, 0),
                    pending=row.get(Status.PENDING, 0),
                    hidden=row.get(Status.HIDDEN, 0),
                    rejected=row.get(Status.REJECTED, 0),
                    responded=row.get("responded", 0),
                    outcome=outcomes.get((feedback_round.pk, number), ""),
                )
            )
        result.append(
            RoundFeedback(
                slug=feedback_round.slug,
                title=feedback_round.title,
                opens_at=feedback_round.opens_at.isoformat(),
                closes_at=feedback_round.closes_at.isoformat(),
                is_open=feedback_round.is_open(now),
                actions=tuple(actions),
            )
        )
    return tuple(result)
