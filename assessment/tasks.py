"""Work done by `manage.py run_worker` processes, never by a web request.

`render_report` renders one assessment's report for one fingerprint, at most once: it claims
the state with a conditional UPDATE (queued -> rendering), so a duplicate task, or a second
worker, finds nothing to do. A PDF with the same content hash and language already stored is
reused, not rendered again. A failure is retried `REPORT_RENDER_ATTEMPTS` times in all, a
little later each time, then the state shows the failure and the operators get a log line.
"""

import datetime as dt
import io
import logging
import time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import TaskContext, task

from assessment import benchmark, report
from assessment.models import Assessment, ReportState, StoredReport

logger = logging.getLogger(__name__)
Status = ReportState.Status
RETRY_DELAY_SECONDS = 5


@task(takes_context=True)
def render_report(context: TaskContext, assessment_id: int, language: str, fingerprint: str) -> str:
    worker_id = (context.task_result.worker_ids or ["?"])[-1]
    claimed = ReportState.objects.filter(
        assessment_id=assessment_id,
        language=language,
        fingerprint=fingerprint,
        status=Status.QUEUED,
    ).update(
        status=Status.RENDERING,
        worker_id=worker_id,
        attempts=F("attempts") + 1,
        updated_at=timezone.now(),
    )
    if not claimed:
        return "superseded or already done"
    state = ReportState.objects.get(assessment_id=assessment_id, language=language)
    try:
        stored = _stored_report(assessment_id, language=language, worker_id=worker_id)
    except Exception as error:
        _failed(state, error)
        return "failed"
    ReportState.objects.filter(pk=state.pk, fingerprint=fingerprint).update(
        status=Status.READY, report=stored, worker_id="", error="", updated_at=timezone.now()
    )
    return stored.content_hash


def _stored_report(assessment_id: int, *, language: str, worker_id: str) -> StoredReport:
    """The stored PDF of the assessment's current data: found by content hash, or rendered."""
    assessment = Assessment.objects.select_related("authority", "questionnaire").get(
        pk=assessment_id
    )
    data = report.report_for(assessment, language=language)
    existing = (
        StoredReport.objects.filter(content_hash=data.hash, language=language).defer("pdf").first()
    )
    if existing is not None:
        return existing
    started = time.perf_counter()
    pdf = report.render_pdf(data)
    seconds = time.perf_counter() - started
    try:
        with transaction.atomic():
            return StoredReport.objects.create(
                content_hash=data.hash,
                language=language,
                filename=report.filename_for(data.results),
                pdf=pdf,
                size=len(pdf),
                pages=_page_count(pdf),
                render_seconds=seconds,
                rendered_by=worker_id,
            )
    except IntegrityError:  # another worker stored the same content meanwhile
        return StoredReport.objects.defer("pdf").get(content_hash=data.hash, language=language)


def _page_count(pdf: bytes) -> int:
    try:
        import pypdf
    except ImportError:  # a development dependency; the count is only a figure
        return 0
    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def _failed(state: ReportState, error: Exception) -> None:
    attempts = state.attempts
    limit = settings.REPORT_RENDER_ATTEMPTS
    if attempts < limit:
        logger.warning(
            "The report of assessment %s (%s) failed to render (attempt %d of %d), retrying: %s",
            state.assessment_id,
            state.language,
            attempts,
            limit,
            error,
        )
        from assessment.report_store import enqueue_render

        with transaction.atomic():
            ReportState.objects.filter(pk=state.pk, fingerprint=state.fingerprint).update(
                status=Status.QUEUED, worker_id="", updated_at=timezone.now()
            )
            enqueue_render(
                state.assessment_id,
                language=state.language,
                fingerprint=state.fingerprint,
                run_after=timezone.now() + dt.timedelta(seconds=RETRY_DELAY_SECONDS * attempts),
            )
        return
    logger.error(
        "The report of assessment %s (%s) failed to render %d times; giving up until"
        " its data changes",
        state.assessment_id,
        state.language,
        attempts,
        exc_info=error,
    )
    ReportState.objects.filter(pk=state.pk, fingerprint=state.fingerprint).update(
        status=Status.FAILED, worker_id="", error=str(error)[:500], updated_at=timezone.now()
    )


@task(priority=-10)
def refresh_peer_table(cycle: int, version: str) -> int:
    """Compute the peer table of a cycle after an approval, so no page waits for it."""
    return len(benchmark.peer_table(cycle=cycle, version=version))
