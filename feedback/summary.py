"""Counts for the public round summary and the coordinators' page-usefulness summary."""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from actions.models import Action
from feedback.models import Comment, FeedbackRound, PageFeedback, RespondentType


@dataclass
class ActionRow:
    action: Action
    by_type: list[int]
    total: int = 0
    published: int = 0
    outcome: object = None


@dataclass
class RoundSummary:
    round: FeedbackRound
    types: list[tuple[str, str]]
    rows: list[ActionRow] = field(default_factory=list)
    type_totals: list[int] = field(default_factory=list)
    total: int = 0
    published: int = 0


def round_summary(feedback_round: FeedbackRound) -> RoundSummary:
    """Comments received per Action and respondent type (rejected ones are not counted)."""
    types = list(RespondentType.choices)
    actions = list(feedback_round.actions.order_by("number"))
    counts = (
        Comment.objects.counted()
        .filter(round=feedback_round)
        .values("action_id", "respondent_type")
        .annotate(total=Count("id"), published=Count("id", filter=Q(status="published")))
    )
    cells = {(c["action_id"], c["respondent_type"]): c for c in counts}
    outcomes = {o.action_id: o for o in feedback_round.outcomes.all()}
    summary = RoundSummary(round=feedback_round, types=types)
    for action in actions:
        row = ActionRow(
            action=action,
            outcome=outcomes.get(action.pk),
            by_type=[cells.get((action.pk, code), {}).get("total", 0) for code, _label in types],
        )
        row.total = sum(row.by_type)
        row.published = sum(
            cells.get((action.pk, code), {}).get("published", 0) for code, _label in types
        )
        summary.rows.append(row)
    summary.type_totals = [sum(row.by_type[i] for row in summary.rows) for i in range(len(types))]
    summary.total = sum(row.total for row in summary.rows)
    summary.published = sum(row.published for row in summary.rows)
    return summary


def usefulness_by_page() -> list[dict]:
    """Yes/no counts per page, most answered first."""
    rows = (
        PageFeedback.objects.values("path")
        .annotate(
            yes=Count("id", filter=Q(useful=True)),
            no=Count("id", filter=Q(useful=False)),
            comments=Count("id", filter=~Q(comment="")),
        )
        .order_by("-yes", "path")
    )
    result = []
    for row in rows:
        total = row["yes"] + row["no"]
        result.append({**row, "total": total, "share": row["yes"] / total if total else None})
    return sorted(result, key=lambda r: (-r["total"], r["path"]))
