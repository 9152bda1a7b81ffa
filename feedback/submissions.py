"""Storing what visitors send: comments, reports and page votes (after the form checks).

Each stores its row and spends the form's token in one transaction: a replay of the token
(even one racing the first post) raises FormTokenSpent and stores nothing.
"""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from feedback.antispam import spend_form_token, text_hash
from feedback.models import Comment, FeedbackRound, PageFeedback, Report

logger = logging.getLogger(__name__)


class DuplicateSubmission(Exception):
    """The same text (or the same visitor's report) arrived before; nothing was stored."""


def submit_comment(
    *,
    round: FeedbackRound,
    action,
    body: str,
    display_name: str,
    email: str,
    respondent_type: str,
    country: str,
    language: str,
    form_token: str,
) -> Comment:
    """Store a comment: published at once under post-moderation, else awaiting moderation."""
    now = timezone.now()
    published = round.publishes_at_once
    try:
        with transaction.atomic():
            spend_form_token(form_token)
            return Comment.objects.create(
                round=round,
                action=action,
                body=body,
                display_name=display_name.strip(),
                email=email,
                respondent_type=respondent_type,
                country=country,
                language=language,
                content_hash=text_hash(body),
                created_at=now,
                consent_at=now,
                status=Comment.Status.PUBLISHED if published else Comment.Status.PENDING,
                published_at=now if published else None,
            )
    except IntegrityError as error:  # two identical posts racing past the form check
        raise DuplicateSubmission from error


def record_page_feedback(*, path: str, useful: bool, comment: str, form_token: str) -> PageFeedback:
    try:
        with transaction.atomic():
            spend_form_token(form_token)
            return PageFeedback.objects.create(
                path=path,
                useful=useful,
                comment=comment,
                comment_hash=text_hash(comment) if comment else "",
            )
    except IntegrityError as error:
        raise DuplicateSubmission from error


def file_report(*, comment: Comment, reason: str, reporter: str, form_token: str) -> Report:
    """Store a visitor's report, then hide the comment if enough reporters reported it."""
    from feedback.moderation import auto_hide_if_reported

    try:
        with transaction.atomic():
            spend_form_token(form_token)
            report = Report.objects.create(comment=comment, reason=reason, reporter_hash=reporter)
            auto_hide_if_reported(comment=comment)
    except IntegrityError as error:
        raise DuplicateSubmission from error
    return report
