"""Storing what visitors send: comments, reports and page votes (after the form checks)."""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from feedback.antispam import text_hash
from feedback.models import Comment, FeedbackRound, PageFeedback, Report

logger = logging.getLogger(__name__)


class DuplicateSubmission(Exception):
    """The same text (or the same visitor's report) arrived before; nothing was stored."""


def submit_comment(*, round: FeedbackRound, action, body: str, display_name: str, email: str,
                   respondent_type: str, country: str) -> Comment:
    """Store a comment: published at once under post-moderation, else awaiting moderation."""
    now = timezone.now()
    published = round.publishes_at_once
    try:
        with transaction.atomic():
            return Comment.objects.create(
                round=round, action=action, body=body, display_name=display_name.strip(),
                email=email, respondent_type=respondent_type, country=country,
                content_hash=text_hash(body), created_at=now, consent_at=now,
                status=Comment.Status.PUBLISHED if published else Comment.Status.PENDING,
                published_at=now if published else None,
            )
    except IntegrityError as error:  # two identical posts racing past the form check
        raise DuplicateSubmission from error


def record_page_feedback(*, path: str, useful: bool, comment: str) -> PageFeedback:
    try:
        with transaction.atomic():
            return PageFeedback.objects.create(
                path=path, useful=useful, comment=comment,
                comment_hash=text_hash(comment) if comment else "",
            )
    except IntegrityError as error:
        raise DuplicateSubmission from error


def file_report(*, comment: Comment, reason: str, visitor: str) -> Report:
    """Store a visitor's report, then hide the comment if enough visitors reported it."""
    from feedback.moderation import auto_hide_if_reported

    try:
        with transaction.atomic():
            report = Report.objects.create(comment=comment, reason=reason, visitor_hash=visitor)
            auto_hide_if_reported(comment=comment)
    except IntegrityError as error:
        raise DuplicateSubmission from error
    return report
