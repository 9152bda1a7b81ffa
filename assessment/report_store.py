"""Which report a request gets, and what a status change schedules. No PDF is rendered here.

A request computes the report's fingerprint (`assessment.report.fingerprint`: two small
queries) and compares it with the one its `ReportState` was prepared for. The same: the state
says ready (serve the stored bytes), being prepared or failed. Different (an answer, the
status or the peer table changed): the state is reset to queued for the new fingerprint and
one render is enqueued on commit. The reset is a conditional UPDATE, so two requests or two
nodes asking at once enqueue one render: duplicates collapse on (assessment, language,
fingerprint).

A change in the peer data therefore costs nothing up front: every report whose figures
changed finds a new fingerprint the next time it is asked for. Only the assessment whose
status changed is enqueued at once, in the languages its report was asked in (and the site's
language), so one approval enqueues a constant number of renders however large the field.
"""

from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessment import report
from assessment.models import Assessment, ReportState, StoredReport

Status = ReportState.Status
# Someone is waiting for this one: it goes before the renders prepared ahead of time.
ASKED_PRIORITY = 10


def state_for(assessment: Assessment, *, language: str) -> ReportState:
    """The report state of `assessment` in `language`, scheduled anew if its data changed."""
    fingerprint = report.fingerprint(assessment, language=language)
    state = (
        ReportState.objects.filter(assessment=assessment, language=language)
        .select_related("report")
        .defer("report__pdf")
        .first()
    )
    if state is not None and state.fingerprint == fingerprint:
        return state
    scheduled = schedule(
        assessment, language=language, fingerprint=fingerprint, priority=ASKED_PRIORITY
    )
    return scheduled or state_for(assessment, language=language)


def schedule(
    assessment: Assessment, *, language: str, fingerprint: str, priority: int = 0
) -> ReportState | None:
    """Mark the report wanted for `fingerprint` and enqueue its render on commit, once.

    Returns the state, or None when another request scheduled it first (read it again).
    """
    now = timezone.now()
    changed = {
        "fingerprint": fingerprint,
        "status": Status.QUEUED,
        "attempts": 0,
        "worker_id": "",
        "error": "",
        "updated_at": now,
    }
    with transaction.atomic():
        updated = (
            ReportState.objects.filter(assessment=assessment, language=language)
            .exclude(fingerprint=fingerprint)
            .update(**changed)
        )
        if not updated:
            try:
                with transaction.atomic():
                    ReportState.objects.create(assessment=assessment, language=language, **changed)
            except IntegrityError:
                return None  # the row exists: already at this fingerprint, or just scheduled
        enqueue_render(assessment.pk, language=language, fingerprint=fingerprint, priority=priority)
    return (
        ReportState.objects.filter(assessment=assessment, language=language)
        .select_related("report")
        .defer("report__pdf")
        .get()
    )


def enqueue_render(
    assessment_id: int, *, language: str, fingerprint: str, priority: int = 0, run_after=None
) -> None:
    from assessment import tasks

    task = tasks.render_report.using(priority=priority, run_after=run_after)
    transaction.on_commit(partial(task.enqueue, assessment_id, language, fingerprint))


def languages_for(assessment: Assessment) -> list[str]:
    """The languages the officers read this report in (those asked before), and the site's."""
    asked = set(
        ReportState.objects.filter(assessment=assessment).values_list("language", flat=True)
    )
    known = {code for code, _name in settings.LANGUAGES}
    return sorted((asked & known) | {settings.LANGUAGE_CODE})


def after_status_change(assessment: Assessment) -> None:
    """Submit, return and approve: prepare the assessment's own report before anyone asks."""
    assessment = Assessment.objects.select_related("authority", "questionnaire").get(
        pk=assessment.pk
    )
    for language in languages_for(assessment):
        schedule(
            assessment,
            language=language,
            fingerprint=report.fingerprint(assessment, language=language),
        )


def stored_pdf(state: ReportState) -> StoredReport:
    """The bytes of the state's last rendered report (one query)."""
    if state.report_id is None:
        raise StoredReport.DoesNotExist("no report rendered yet")
    return StoredReport.objects.get(pk=state.report_id)
