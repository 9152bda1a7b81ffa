"""Moderation of comments: explicit transitions, each logged with who and when.

    pending   --publish-->  published  --hide-->    hidden  --unhide--> published
    pending/published/hidden --reject (reason)--> rejected --publish--> published
    published --(reports from N different networks)--> hidden (automatic, no actor)
    hidden (automatically, reports open) --restore--> published

A decision on a reported comment (hide, unhide, restore, reject, keep) resolves its open
reports. Rejecting a comment that carries an e-mail address tells its author, in the language
the comment was written in, once the decision is committed. The rules: MODERATION.md.

"""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from feedback.conf import setting
from feedback.models import (
    Comment,
    FeedbackRound,
    ModerationEvent,
    OfficialResponse,
    OutcomeSummary,
    Report,
)

logger = logging.getLogger(__name__)
Status = Comment.Status
Kind = ModerationEvent.Kind
ERASED_TEXT = ""  # templates show a translated "erased at the author's request" instead


class TransitionError(Exception):
    """The comment is not in a state that allows this decision."""


def _move(
    comment: Comment, *, to: str, kind: str, by, allowed_from: set[str], note: str = ""
) -> Comment:
    if comment.status not in allowed_from:
        raise TransitionError(
            _("This comment is “%(status)s”; that decision is not possible now.")
            % {"status": comment.get_status_display()}
        )
    now = timezone.now()
    from_status = comment.status
    comment.status = to
    comment.moderated_at, comment.moderated_by = now, by
    if to == Status.PUBLISHED and comment.published_at is None:
        comment.published_at = now
    comment.save(
        update_fields=["status", "moderated_at", "moderated_by", "published_at", "rejection_reason"]
    )
    ModerationEvent.objects.create(
        comment=comment,
        kind=kind,
        actor=by,
        from_status=from_status,
        to_status=to,
        note=note,
        created_at=now,
    )
    return comment


def _record_unchanged(comment: Comment, *, kind: str, by) -> None:
    """Log a moderation step that leaves the comment's status as it is."""
    ModerationEvent.objects.create(
        comment=comment, kind=kind, actor=by, from_status=comment.status, to_status=comment.status
    )


def _resolve_reports(comment: Comment) -> None:
    comment.reports.filter(resolved_at__isnull=True).update(resolved_at=timezone.now())


@transaction.atomic
def publish(*, comment: Comment, by) -> Comment:
    comment.rejection_reason = ""
    return _move(
        comment,
        to=Status.PUBLISHED,
        kind=Kind.PUBLISHED,
        by=by,
        allowed_from={Status.PENDING, Status.REJECTED},
    )


@transaction.atomic
def reject(*, comment: Comment, by, reason: str) -> Comment:
    if not reason.strip():
        raise TransitionError(_("Give a reason for rejecting this comment."))
    comment.rejection_reason = reason.strip()
    _resolve_reports(comment)
    rejected = _move(
        comment,
        to=Status.REJECTED,
        kind=Kind.REJECTED,
        by=by,
        note=reason.strip(),
        allowed_from={Status.PENDING, Status.PUBLISHED, Status.HIDDEN},
    )
    if rejected.email:
        from feedback.notifications import comment_rejected

        transaction.on_commit(lambda: comment_rejected(comment_pk=rejected.pk))
    return rejected


@transaction.atomic
def hide(*, comment: Comment, by, note: str = "") -> Comment:
    _resolve_reports(comment)
    return _move(
        comment,
        to=Status.HIDDEN,
        kind=Kind.HIDDEN,
        by=by,
        note=note,
        allowed_from={Status.PUBLISHED},
    )


@transaction.atomic
def unhide(*, comment: Comment, by) -> Comment:
    _resolve_reports(comment)
    return _move(
        comment, to=Status.PUBLISHED, kind=Kind.UNHIDDEN, by=by, allowed_from={Status.HIDDEN}
    )


def is_auto_hidden(comment: Comment) -> bool:
    """Hidden by reports and still waiting for a coordinator: a decision resolves the reports,
    and only published comments can be reported, so open reports on a hidden comment mean
    that the reports hid it."""
    return (
        comment.status == Status.HIDDEN
        and comment.reports.filter(resolved_at__isnull=True).exists()
    )


@transaction.atomic
def restore(*, comment: Comment, by) -> Comment:
    """Undo an automatic hiding in one step: published again, the reports dismissed."""
    if not is_auto_hidden(comment):
        raise TransitionError(
            _("Only a comment hidden automatically after reports can be restored.")
        )
    _resolve_reports(comment)
    return _move(
        comment, to=Status.PUBLISHED, kind=Kind.RESTORED, by=by, allowed_from={Status.HIDDEN}
    )


@transaction.atomic
def keep_published(*, comment: Comment, by) -> Comment:
    """Dismiss the open reports of a published comment."""
    if (
        comment.status != Status.PUBLISHED
        or not comment.reports.filter(resolved_at__isnull=True).exists()
    ):
        raise TransitionError(_("There are no open reports on a published comment to dismiss."))
    _resolve_reports(comment)
    _record_unchanged(comment, kind=Kind.REPORTS_DISMISSED, by=by)
    return comment


def auto_hide_if_reported(*, comment: Comment) -> bool:
    """Hide a published comment once reporters from enough different networks reported it."""
    threshold = setting("FEEDBACK_AUTO_HIDE_REPORTS")
    reporters = (
        Report.objects.filter(comment=comment, resolved_at__isnull=True)
        .values("reporter_hash")
        .distinct()
        .count()
    )
    comment.refresh_from_db(fields=["status"])
    if comment.status != Status.PUBLISHED or reporters < threshold:
        return False
    comment.status = Status.HIDDEN
    comment.save(update_fields=["status"])
    ModerationEvent.objects.create(
        comment=comment,
        kind=Kind.AUTO_HIDDEN,
        actor=None,
        from_status=Status.PUBLISHED,
        to_status=Status.HIDDEN,
        note=_("%(count)d reports from different networks") % {"count": reporters},
    )
    return True


@transaction.atomic
def respond(*, comment: Comment, by, body: str, as_leader: bool) -> OfficialResponse:
    """Create or update the official response to a comment."""
    if comment.status == Status.REJECTED or comment.personal_data_erased_at:
        raise TransitionError(_("A rejected or erased comment cannot be answered."))
    role = OfficialResponse.Role.ACTION_LEADER if as_leader else OfficialResponse.Role.COORDINATORS
    response, _created = OfficialResponse.objects.update_or_create(
        comment=comment,
        defaults={"body": body.strip(), "author": by, "role": role},
    )
    _record_unchanged(comment, kind=Kind.RESPONDED, by=by)
    return response


@transaction.atomic
def erase_personal_data(*, comment: Comment, by) -> Comment:
    """On the author's request: blank name, e-mail and text; status, round, Action,
    respondent type and country stay, so the round's counts do not change."""
    now = timezone.now()
    comment.display_name = comment.email = ""
    comment.body = ERASED_TEXT
    comment.content_hash = f"erased:{comment.pk}"
    comment.personal_data_erased_at = comment.email_erased_at = now
    comment.save(
        update_fields=[
            "display_name",
            "email",
            "body",
            "content_hash",
            "personal_data_erased_at",
            "email_erased_at",
        ]
    )
    _record_unchanged(comment, kind=Kind.ERASED, by=by)
    return comment


def set_moderation_mode(*, round: FeedbackRound, by, mode: str) -> FeedbackRound:
    """Switch a round between pre- and post-moderation; logged with who and when."""
    if mode not in FeedbackRound.Moderation.values:
        raise TransitionError(_("Choose pre-moderation or post-moderation."))
    previous = round.moderation
    if previous != mode:
        round.moderation = mode
        round.save(update_fields=["moderation"])
        logger.info(
            "Moderation of round %s changed from %s to %s by user %s",
            round.slug,
            previous,
            mode,
            getattr(by, "pk", None),
        )
    return round


def save_outcome(*, round: FeedbackRound, action, by, body: str) -> OutcomeSummary:
    if not round.has_closed():
        raise TransitionError(_("The outcome summary can be written once the round has closed."))
    outcome, _created = OutcomeSummary.objects.update_or_create(
        round=round,
        action=action,
        defaults={"body": body.strip(), "author": by},
    )
    return outcome


def erase_expired_emails(*, months: int, now=None) -> tuple[int, int]:
    """Blank the e-mail addresses of comments in rounds closed `months` or more ago.

    Returns (addresses erased, rounds concerned)."""
    from feedback.rounds import add_months

    now = now or timezone.now()
    erased = rounds = 0
    for feedback_round in FeedbackRound.objects.filter(closes_at__lt=now):
        if add_months(feedback_round.closes_at, months) > now:
            continue
        count = (
            Comment.objects.filter(round=feedback_round)
            .exclude(email="")
            .update(email="", email_erased_at=now)
        )
        erased += count
        rounds += bool(count)
    return erased, rounds
