"""Status changes of an assessment: draft -> submitted -> (returned -> submitted)* -> approved.

Each transition checks its source state with a conditional UPDATE (so two colleagues pressing
a button at the same moment record it once), stamps who and when, writes an event in the same
transaction, and sends e-mail only after the transaction commits. See REVIEW.md.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment import notifications
from assessment.models import Answer, Assessment, AssessmentEvent
from assessment.progress import missing_for_submission
from assessment.scorecards import scorecard_for

Status = Assessment.Status


class TransitionError(Exception):
    """The transition is not allowed now; the message says why, for the user."""

    def __init__(self, message: str, reasons: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.reasons = reasons or []


@dataclass(frozen=True)
class Transition:
    sources: tuple[str, ...]
    target: str


SUBMIT = Transition((Status.DRAFT, Status.RETURNED), Status.SUBMITTED)
RETURN = Transition((Status.SUBMITTED,), Status.RETURNED)
APPROVE = Transition((Status.SUBMITTED,), Status.APPROVED)


def _apply(assessment: Assessment, transition: Transition, *, by, expected_revision: int | None,
           comment: str = "", snapshot=None, **fields) -> None:
    """Move `assessment` along `transition` if it is still in a source state and unchanged."""
    rows = Assessment.objects.filter(pk=assessment.pk, status__in=transition.sources)
    if expected_revision is not None:
        rows = rows.filter(revision=expected_revision)
    updated = rows.update(status=transition.target, revision=F("revision") + 1,
                          updated_at=timezone.now(), **fields)
    if updated != 1:
        assessment.refresh_from_db()
        raise TransitionError(stale_message(assessment, transition))
    from_status = assessment.status
    assessment.refresh_from_db()
    AssessmentEvent.objects.create(
        assessment=assessment, actor=by, from_status=from_status, to_status=transition.target,
        comment=comment, answers_snapshot=snapshot,
    )


def stale_message(assessment: Assessment, transition: Transition) -> str:
    if assessment.status == transition.target:
        return _("This assessment is already %(status)s; nothing was changed.") % {
            "status": assessment.get_status_display().lower()
        }
    if assessment.status in transition.sources:
        return _("Someone else changed this assessment while you were looking at it. "
                 "Nothing was changed: check its current state and try again.")
    return _("This assessment is %(status)s, so this step is not possible; "
             "nothing was changed.") % {
        "status": assessment.get_status_display().lower()
    }


def submit(*, assessment: Assessment, by, expected_revision: int | None = None,
           notify: bool = True) -> None:
    """Officers submit a complete assessment for review."""
    with transaction.atomic():
        if assessment.status not in SUBMIT.sources:
            raise TransitionError(stale_message(assessment, SUBMIT))
        missing = missing_for_submission(assessment)
        if missing:
            raise TransitionError(
                _("Some required questions are still unanswered."), reasons=missing
            )
        now = timezone.now()
        _apply(assessment, SUBMIT, by=by, expected_revision=expected_revision,
               submitted_at=now, submitted_by=by,
               submitted_scores=scorecard_for(assessment).to_dict())
        if notify:
            transaction.on_commit(lambda: notifications.assessment_submitted(assessment))
    invalidate_benchmarks(assessment)


def return_for_changes(*, assessment: Assessment, by, comment: str,
                       expected_revision: int | None = None, notify: bool = True) -> None:
    """Coordinators send a submitted assessment back; a comment is required."""
    comment = (comment or "").strip()
    if not comment:
        raise TransitionError(_("Say what needs to change: returning requires a comment."))
    with transaction.atomic():
        _apply(assessment, RETURN, by=by, expected_revision=expected_revision, comment=comment,
               snapshot=answers_snapshot(assessment), returned_at=timezone.now(),
               returned_by=by, return_comment=comment)
        if notify:
            transaction.on_commit(lambda: notifications.assessment_returned(assessment))
    invalidate_benchmarks(assessment)


def approve(*, assessment: Assessment, by, comment: str = "",
            expected_revision: int | None = None, notify: bool = True) -> None:
    """Coordinators approve; the scores at approval are frozen and feed the benchmarks."""
    with transaction.atomic():
        _apply(assessment, APPROVE, by=by, expected_revision=expected_revision,
               comment=(comment or "").strip(), approved_at=timezone.now(), approved_by=by,
               approved_scores=scorecard_for(assessment).to_dict())
        if notify:
            transaction.on_commit(lambda: notifications.assessment_approved(assessment))
    invalidate_benchmarks(assessment)


def answers_snapshot(assessment: Assessment) -> dict[str, dict]:
    """Answer values by item code, to show what changed after a return."""
    answers = Answer.objects.filter(assessment=assessment).select_related("item")
    return {a.item.code: answer_fields(a) for a in answers}


def answer_fields(answer: Answer) -> dict:
    return {
        "level": answer.level,
        "yes": answer.yes,
        "number": str(answer.number) if answer.number is not None else None,
        "not_applicable": answer.not_applicable,
        "na_reason": answer.na_reason,
        "evidence_note": answer.evidence_note,
        "evidence_url": answer.evidence_url,
    }


def invalidate_benchmarks(assessment: Assessment) -> None:
    """Peer statistics change when the set of peer assessments changes."""
    from assessment import benchmark

    benchmark.invalidate(cycle=assessment.cycle, version=assessment.questionnaire.version)
