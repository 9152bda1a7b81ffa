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
status changed is enqueued at once, in the languages its report was asked in, its officers'
languages and the site's, so one approval enqueues a constant number of renders however large
the field.
"""

import datetime as dt
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from assessment import report
from assessment.models import Assessment, PeerDataVersion, ReportState, StoredReport
from partnership.preferences import by_language

Status = ReportState.Status
# Someone is waiting for this one: it goes before the renders prepared ahead of time.
ASKED_PRIORITY = 10
# The sweep's renders wait for everything else.
SWEEP_PRIORITY = -20


def state_for(assessment: Assessment, *, language: str, with_pdf: bool = False) -> ReportState:
    """The report state of `assessment` in `language`, scheduled anew if its data changed.

    `with_pdf`: the stored bytes come in the same query (a download reads them once);
    otherwise they are deferred (a status poll never needs them).
    """
    fingerprint = report.fingerprint(assessment, language=language)
    states = ReportState.objects.filter(assessment=assessment, language=language)
    states = states.select_related("report")
    state = (states if with_pdf else states.defer("report__pdf")).first()
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
    """The languages this report is read in: those asked before, the languages of the
    authority's officers (`partnership.preferences.language_of`), and the site's."""
    asked = set(
        ReportState.objects.filter(assessment=assessment).values_list("language", flat=True)
    )
    officers = get_user_model().objects.filter(
        memberships__authority_id=assessment.authority_id, is_active=True
    )
    known = {code for code, _name in settings.LANGUAGES}
    return sorted(((asked | set(by_language(officers))) & known) | {settings.LANGUAGE_CODE})


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
    """The state's last rendered report (its bytes already read by `state_for(with_pdf=True)`,
    or read now in one query)."""
    if state.report is None:
        raise StoredReport.DoesNotExist("no report rendered yet")
    return state.report


def sweep(*, limit: int | None = None) -> dict[str, int]:
    """A bounded, low-priority pass, run by every worker's heartbeat.

    1. Reports queued for longer than `REPORT_STUCK_AFTER_SECONDS` are enqueued again: the
       process that scheduled them may have died between the commit and the enqueue (a
       duplicate task finds nothing to claim).
    2. While no more than `limit` reports wait, up to `limit` ready reports made before the
       last change of their peer data are scheduled again (or marked checked when their
       fingerprint did not change), so stale reports are refreshed without an approval
       costing a render per authority.
    """
    limit = settings.REPORT_SWEEP_LIMIT if limit is None else limit
    now = timezone.now()
    stuck_before = now - dt.timedelta(seconds=settings.REPORT_STUCK_AFTER_SECONDS)
    queued = ReportState.objects.filter(status=Status.QUEUED)
    requeued = 0
    for state in queued.filter(updated_at__lt=stuck_before).order_by("updated_at")[:limit]:
        with transaction.atomic():
            if queued.filter(pk=state.pk, updated_at=state.updated_at).update(updated_at=now):
                enqueue_render(
                    state.assessment_id,
                    language=state.language,
                    fingerprint=state.fingerprint,
                    priority=SWEEP_PRIORITY,
                )
                requeued += 1
    refreshed = 0
    if queued.count() <= limit:
        for state in _made_before_their_peer_data_changed()[:limit]:
            fingerprint = report.fingerprint(state.assessment, language=state.language)
            if fingerprint == state.fingerprint:
                ReportState.objects.filter(pk=state.pk).update(updated_at=now)
            elif schedule(
                state.assessment,
                language=state.language,
                fingerprint=fingerprint,
                priority=SWEEP_PRIORITY,
            ):
                refreshed += 1
    return {"requeued": requeued, "refreshed": refreshed}


def _made_before_their_peer_data_changed():
    """Ready reports older than the last change of their cycle's peer data, oldest first."""
    changed_at = PeerDataVersion.objects.filter(
        cycle=OuterRef("assessment__cycle"),
        questionnaire_version=OuterRef("assessment__questionnaire__version"),
    ).values("changed_at")[:1]
    return (
        ReportState.objects.filter(status=Status.READY)
        .annotate(peers_changed_at=Subquery(changed_at))
        .filter(updated_at__lt=F("peers_changed_at"))
        .select_related("assessment__authority", "assessment__questionnaire")
        .order_by("updated_at")
    )
