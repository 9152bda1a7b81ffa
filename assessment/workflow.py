"""Status changes of an assessment: draft -> submitted -> (returned -> submitted)* -> approved.

Each transition locks the row and checks, in the database, that it is still in a source state
(and, when the page sent one, at the revision the user saw), then moves it with a conditional
UPDATE (so two colleagues pressing a button at the same moment record it once), stamps who and
when, writes an event in the same transaction, and sends e-mail only after the transaction
commits. See REVIEW.md.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessment import approval_generation, notifications
from assessment.answers.progress import missing_for_submission
from assessment.models import EDITABLE_STATUSES, Answer, Assessment, AssessmentEvent
from assessment.scores import scorecard_for
from partnership.roles import is_coordinator

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
    # Shown when the assessment is in a state this transition cannot start from.
    not_allowed: Promise


SUBMIT = Transition(
    EDITABLE_STATUSES,
    Status.SUBMITTED,
    gettext_lazy(
        "Only a draft or a returned assessment can be submitted; this one is "
        "“%(status)s”. Nothing was changed."
    ),
)
RETURN = Transition(
    (Status.SUBMITTED,),
    Status.RETURNED,
    gettext_lazy(
        "Only a submitted assessment can be returned for changes; this one is "
        "“%(status)s”. Nothing was changed."
    ),
)
APPROVE = Transition(
    (Status.SUBMITTED,),
    Status.APPROVED,
    gettext_lazy(
        "Only a submitted assessment can be approved; this one is “%(status)s”. "
        "Nothing was changed."
    ),
)


def _lock(
    assessment: Assessment, transition: Transition, *, expected_revision: int | None
) -> tuple[str, int]:
    """Lock the row and check it may take `transition`; return its (status, revision).

    The check reads the database, not the caller's copy, which may be stale. On PostgreSQL
    the row stays locked until the transaction ends; SQLite runs write transactions one at
    a time (transaction_mode IMMEDIATE), which gives the same guarantee.
    """
    row = (
        Assessment.objects.select_for_update()
        .filter(pk=assessment.pk)
        .values_list("status", "revision")
        .first()
    )
    if row is None:
        raise TransitionError(_("This assessment no longer exists; nothing was changed."))
    status, revision = row
    stale = expected_revision is not None and revision != expected_revision
    if status not in transition.sources or stale:
        assessment.refresh_from_db()
        raise TransitionError(refusal_message(assessment, transition, stale=stale))
    return status, revision


def refusal_message(assessment: Assessment, transition: Transition, *, stale: bool) -> str:
    """Why `transition` cannot happen to `assessment` (as it is in the database now)."""
    status = assessment.get_status_display()
    if assessment.status == transition.target:
        return _("This assessment is already “%(status)s”; nothing was changed.") % {
            "status": status
        }
    if stale:
        return _(
            "Someone else changed this assessment while you were looking at it (it is now "
            "“%(status)s”). Nothing was changed: check its current state and try "
            "again."
        ) % {"status": status}
    return transition.not_allowed % {"status": status}


def _apply(
    assessment: Assessment,
    transition: Transition,
    *,
    by,
    locked: tuple[str, int],
    comment: str = "",
    snapshot: dict | None = None,
    **fields,
) -> AssessmentEvent:
    """Move the locked row from its checked (status, revision) to the target; log the event."""
    from_status, revision = locked
    updated = Assessment.objects.filter(
        pk=assessment.pk, status=from_status, revision=revision
    ).update(status=transition.target, revision=revision + 1, updated_at=timezone.now(), **fields)
    if updated != 1:  # only possible without row locks; the check above normally catches it
        assessment.refresh_from_db()
        raise TransitionError(refusal_message(assessment, transition, stale=True))
    assessment.refresh_from_db()
    return AssessmentEvent.objects.create(
        assessment=assessment,
        actor=by,
        from_status=from_status,
        to_status=transition.target,
        comment=comment,
        answers_snapshot=snapshot,
    )


def _require_coordinator(by) -> None:
    if by is None or not is_coordinator(by):
        raise TransitionError(
            _("Only partnership coordinators can return or approve an assessment.")
        )


def submit(
    *, assessment: Assessment, by, expected_revision: int | None = None, notify: bool = True
) -> None:
    """Officers submit a complete assessment for review."""
    with transaction.atomic():
        locked = _lock(assessment, SUBMIT, expected_revision=expected_revision)
        missing = missing_for_submission(assessment)
        if missing:
            raise TransitionError(
                _("Some required questions are still unanswered."), reasons=missing
            )
        _apply(
            assessment,
            SUBMIT,
            by=by,
            locked=locked,
            submitted_at=timezone.now(),
            submitted_by=by,
            submitted_scores=scorecard_for(assessment).to_dict(),
        )
        if notify:
            transaction.on_commit(
                lambda: notifications.assessment_submitted(assessment), robust=True
            )
        invalidate_benchmarks(assessment)  # in the transaction: the bump commits with it


def return_for_changes(
    *,
    assessment: Assessment,
    by,
    comment: str,
    expected_revision: int | None = None,
    notify: bool = True,
) -> None:
    """Coordinators send a submitted assessment back; a comment is required.

    The answers at that moment are kept on the event, so that after resubmission the
    coordinator sees what changed (`assessment.review.changes_since_return`).
    """
    _require_coordinator(by)
    comment = (comment or "").strip()
    if not comment:
        raise TransitionError(_("Say what needs to change: returning requires a comment."))
    with transaction.atomic():
        locked = _lock(assessment, RETURN, expected_revision=expected_revision)
        _apply(
            assessment,
            RETURN,
            by=by,
            locked=locked,
            comment=comment,
            snapshot=answers_snapshot(assessment),
            returned_at=timezone.now(),
            returned_by=by,
            return_comment=comment,
        )
        if notify:
            transaction.on_commit(
                lambda: notifications.assessment_returned(assessment), robust=True
            )
        invalidate_benchmarks(assessment)  # in the transaction: the bump commits with it


def approve(
    *,
    assessment: Assessment,
    by,
    comment: str = "",
    expected_revision: int | None = None,
    notify: bool = True,
) -> None:
    """Coordinators approve; the scores at approval are frozen and feed the benchmarks."""
    _require_coordinator(by)
    with transaction.atomic():
        locked = _lock(assessment, APPROVE, expected_revision=expected_revision)
        _apply(
            assessment,
            APPROVE,
            by=by,
            locked=locked,
            comment=(comment or "").strip(),
            approved_at=timezone.now(),
            approved_by=by,
            approved_scores=scorecard_for(assessment).to_dict(),
        )
        transaction.on_commit(approval_generation.bump, robust=True)
        if notify:
            transaction.on_commit(
                lambda: notifications.assessment_approved(assessment), robust=True
            )
        invalidate_benchmarks(assessment)  # in the transaction: the bump commits with it


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
    """Peer statistics change when the set of peer assessments changes: the peer-data version
    (a database row) is bumped in the transaction of the change; the assessment's own report
    is prepared by a worker (`assessment.report_store`), and the new peer table too."""
    from assessment import benchmark, report_store, tasks

    version = assessment.questionnaire.version
    benchmark.invalidate(cycle=assessment.cycle, version=version)
    with transaction.atomic():
        report_store.after_status_change(assessment)
        transaction.on_commit(
            lambda: tasks.refresh_peer_table.enqueue(assessment.cycle, version), robust=True
        )
