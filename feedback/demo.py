"""Feedback rounds and demo comments, from feedback/data/demo_feedback.yaml.

`ensure_2020_round()` creates the partnership's real 2020 round (no comments);
`load_demo_feedback()` adds invented comments, responses and outcomes, and a round that is
open on the day the demo is loaded. Both are idempotent: a second run changes nothing.
"""

import datetime as dt
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from actions.models import Action
from feedback.antispam import text_hash
from feedback.models import (
    Comment,
    FeedbackRound,
    ModerationEvent,
    OfficialResponse,
    OutcomeSummary,
    Report,
)
from feedback.rounds import BRUSSELS, brussels_window
from portal.content import read_yaml

DATA_FILE = Path(__file__).resolve().parent / "data" / "demo_feedback.yaml"


def _data() -> dict:
    return read_yaml(DATA_FILE)


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=BRUSSELS)


def _round(spec: dict, opens_at, closes_at, *, keep_dates: bool) -> tuple[FeedbackRound, bool]:
    feedback_round = FeedbackRound.objects.filter(slug=spec["slug"]).first()
    created = feedback_round is None
    if created:
        feedback_round = FeedbackRound.objects.create(
            slug=spec["slug"],
            title=spec["title"],
            opens_at=opens_at,
            closes_at=closes_at,
            moderation=spec["moderation"],
            introduction=spec["introduction"].strip(),
        )
    elif not keep_dates and (feedback_round.opens_at, feedback_round.closes_at) != (
        opens_at,
        closes_at,
    ):
        feedback_round.opens_at, feedback_round.closes_at = opens_at, closes_at
        feedback_round.save(update_fields=["opens_at", "closes_at"])
    missing = Action.objects.exclude(pk__in=feedback_round.actions.values("pk"))
    if missing.exists():
        feedback_round.actions.add(*missing)
    return feedback_round, created


@transaction.atomic
def ensure_2020_round() -> FeedbackRound:
    """The 2020 round on the draft Action Plan: 22 July to 9 September 2020, Brussels time."""
    spec = _data()["round_2020"]
    opens_at, closes_at = brussels_window(spec["first_day"], spec["last_day"])
    return _round(spec, opens_at, closes_at, keep_dates=False)[0]


def _comment(feedback_round, action, entry, *, received, published, author) -> int:
    """Create one demo comment with its response, report and log; returns rows created."""
    body = entry["body"].strip()
    status = entry.get("status", "published")
    comment, created = Comment.objects.get_or_create(
        round=feedback_round,
        action=action,
        content_hash=text_hash(body),
        defaults={
            "body": body,
            "display_name": entry.get("name", ""),
            "email": entry.get("email", ""),
            "respondent_type": entry["type"],
            "country": entry["country"],
            "status": status,
            "created_at": received,
            "consent_at": received,
            "published_at": published if status == "published" else None,
            "rejection_reason": entry.get("reason", ""),
            "moderated_at": published if status != "pending" else None,
            "moderated_by": author if status != "pending" else None,
        },
    )
    if not created:
        return 0
    rows = 1
    if status in ("published", "rejected"):
        ModerationEvent.objects.create(
            comment=comment,
            kind=status,
            actor=author,
            from_status="pending",
            to_status=status,
            note=entry.get("reason", ""),
            created_at=published or received,
        )
        rows += 1
    if entry.get("response"):
        OfficialResponse.objects.create(
            comment=comment,
            body=entry["response"].strip(),
            author=author,
            created_at=published + dt.timedelta(days=2),
        )
        rows += 1
    for number in range(entry.get("reports", 0)):
        Report.objects.create(
            comment=comment,
            reason=Report.Reason.OFF_TOPIC,
            reporter_hash=text_hash(f"demo-reporter-{number}"),
            created_at=published,
        )
        rows += 1
    return rows


@transaction.atomic
def load_demo_feedback() -> int:
    """Load the demo rounds and comments; returns the number of rows created."""
    data = _data()
    actions = {action.number: action for action in Action.objects.all()}
    if not actions:
        return 0
    author = get_user_model().objects.filter(username="coordinator").first()
    created = 0

    round_2020 = ensure_2020_round()
    for entry in data["comments_2020"]:
        received = _at(entry["day"])
        published = _at(entry["published"], 15) if "published" in entry else _at(entry["day"], 16)
        created += _comment(
            round_2020,
            actions[entry["action"]],
            entry,
            received=received,
            published=published,
            author=author,
        )
    for number, body in data["outcomes_2020"].items():
        _outcome, was_created = OutcomeSummary.objects.get_or_create(
            round=round_2020,
            action=actions[number],
            defaults={"body": body.strip(), "author": author},
        )
        created += was_created

    spec = data["open_round"]
    today = timezone.localdate()
    opens_at, closes_at = brussels_window(
        today - dt.timedelta(days=spec["opened_days_ago"]),
        today + dt.timedelta(days=spec["closes_in_days"]),
    )
    existing = FeedbackRound.objects.filter(slug=spec["slug"]).first()
    # Keep the dates while the round is open, so that a second run changes nothing.
    open_round, round_created = _round(
        spec, opens_at, closes_at, keep_dates=bool(existing and existing.is_open())
    )
    created += round_created
    for entry in data["comments_open"]:
        received = open_round.opens_at + dt.timedelta(days=entry["day"], hours=9)
        created += _comment(
            open_round,
            actions[entry["action"]],
            entry,
            received=received,
            published=received + dt.timedelta(hours=6),
            author=author,
        )
    return created
