"""Reports are rendered by task workers before anyone asks; a web request only reads them."""

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from assessment import report, report_store
from assessment.models import Answer, Assessment, ReportState, StoredReport
from portal.models import WorkerHeartbeat
from portal.workers import recover_orphans
from tests.factories import AssessmentFactory, CoordinatorFactory, approved_peer, fill

pytestmark = pytest.mark.usefixtures("content")


def pdf_url(assessment: Assessment, query: str = "") -> str:
    return reverse("assessment:report_pdf", args=[assessment.pk]) + query


def render_tasks():
    return DBTaskResult.objects.filter(task_path="assessment.tasks.render_report")


@pytest.fixture
def complete(authority, officer):
    assessment = AssessmentFactory(authority=authority)
    fill(assessment, level=3, by=officer)
    return assessment


@pytest.fixture
def no_render_in_requests(monkeypatch):
    """Any PDF rendered while this fixture is active fails the test: only workers render."""

    def forbidden(*args, **kwargs):
        raise AssertionError("a web request rendered a PDF")

    monkeypatch.setattr(report, "render_pdf", forbidden)


def submit(client, assessment):
    assessment.refresh_from_db()
    return client.post(
        reverse("assessment:submit", args=[assessment.pk]), {"revision": assessment.revision}
    )


def test_no_web_request_renders_a_pdf_whatever_the_reports_state(
    client,
    officer,
    complete,
    report_worker,
    no_render_in_requests,
    django_capture_on_commit_callbacks,
):
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.get(pdf_url(complete))
        assert submit(client, complete).status_code == 302
        again = client.get(pdf_url(complete))
        waiting = client.get(pdf_url(complete, "?wait=1"))
        partial = client.get(pdf_url(complete), headers={"HX-Request": "true"})

    assert first.status_code == again.status_code == waiting.status_code == 202
    assert partial.status_code == 200
    assert "being prepared" in again.content.decode()


def test_submitting_enqueues_the_report_once_and_the_worker_renders_it_once(
    client,
    officer,
    complete,
    report_worker,
    django_capture_on_commit_callbacks,
    pdf_renders,
):
    client.force_login(officer)
    renders = pdf_renders()
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, complete)
        client.get(pdf_url(complete))
        client.get(pdf_url(complete))

    assert render_tasks().count() == 1
    report_worker.run()
    response = client.get(pdf_url(complete))

    assert response["Content-Type"] == "application/pdf"
    assert pdf_renders() == renders + 1
    stored = StoredReport.objects.get()
    assert bytes(stored.pdf) == response.content
    assert stored.pages > 1 and stored.render_seconds > 0


def test_the_same_content_is_stored_once_whatever_the_number_of_requests(
    client,
    officer,
    colleague,
    complete,
    report_worker,
):
    client.force_login(officer)
    report_worker.download(client, pdf_url(complete))
    other = client.__class__()
    other.force_login(colleague)

    assert other.get(pdf_url(complete))["Content-Type"] == "application/pdf"
    assert StoredReport.objects.count() == 1
    assert ReportState.objects.get().status == "ready"


def test_the_preparing_page_refreshes_itself_without_js_and_polls_with_htmx(
    client,
    officer,
    complete,
    django_capture_on_commit_callbacks,
):
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        html = client.get(pdf_url(complete)).content.decode()

    assert html.count("<h1") == 1
    assert re.search(r'<meta http-equiv="refresh" content="\d+;url=[^"]*\?wait=1">', html)
    assert 'hx-trigger="every' in html
    assert 'role="status"' in html


def test_when_ready_the_waiting_page_offers_the_download_and_stops_refreshing(
    client,
    officer,
    complete,
    report_worker,
):
    client.force_login(officer)
    report_worker.download(client, pdf_url(complete))

    page = client.get(pdf_url(complete, "?wait=1")).content.decode()
    partial = client.get(pdf_url(complete), headers={"HX-Request": "true"}).content.decode()

    for html in (page, partial):
        assert "Your report is ready." in html
        assert f'href="{pdf_url(complete)}"' in html
        assert "hx-trigger" not in html
    assert 'http-equiv="refresh"' not in page


def test_an_approval_in_the_field_makes_other_reports_stale_without_rendering_them(
    client,
    officer,
    complete,
    report_worker,
    django_capture_on_commit_callbacks,
):
    client.force_login(officer)
    first = report_worker.download(client, pdf_url(complete))
    submitted = AssessmentFactory(complete=True)
    submit_and_approve(submitted)
    tasks_before = render_tasks().count()

    with django_capture_on_commit_callbacks(execute=True):
        stale = client.get(pdf_url(complete))

    assert stale.status_code == 202
    html = stale.content.decode()
    assert "The figures have changed since the last report was made." in html
    assert client.get(pdf_url(complete, "?previous=1")).content == first.content
    assert render_tasks().count() == tasks_before + 1


def submit_and_approve(assessment: Assessment) -> None:
    from assessment import workflow

    workflow.submit(assessment=assessment, by=None, notify=False)
    workflow.approve(assessment=assessment, by=CoordinatorFactory(), notify=False)


@pytest.mark.parametrize("field", [3, 12])
def test_one_approval_enqueues_the_same_work_whatever_the_size_of_the_field(
    field,
    django_capture_on_commit_callbacks,
):
    for _ in range(field):
        approved_peer(score=50.0)
    for assessment in Assessment.objects.all():
        ReportState.objects.create(
            assessment=assessment,
            language="en",
            fingerprint="old",
            status="ready",
            updated_at=timezone.now(),
        )
    submitted = AssessmentFactory(complete=True)

    with django_capture_on_commit_callbacks(execute=True):
        submit_and_approve(submitted)

    # Submit and approve: the assessment's own report twice, and the peer table twice.
    assert DBTaskResult.objects.count() == 4
    assert render_tasks().count() == 2


def test_a_render_whose_worker_died_is_queued_again_and_completed_by_another(
    client,
    officer,
    complete,
    report_worker,
    settings,
    django_capture_on_commit_callbacks,
):
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(pdf_url(complete))
    long_ago = timezone.now() - dt.timedelta(seconds=settings.WORKER_DEAD_AFTER_SECONDS + 5)
    WorkerHeartbeat.objects.create(
        worker_id="killed", host="node-1", pid=1, started_at=long_ago, seen_at=long_ago
    )
    ReportState.objects.update(status="rendering", worker_id="killed", updated_at=long_ago)
    DBTaskResult.objects.update(status="RUNNING", worker_ids=["killed"])

    with django_capture_on_commit_callbacks(execute=True):
        assert recover_orphans() == 1
    report_worker.run()

    assert client.get(pdf_url(complete))["Content-Type"] == "application/pdf"


def test_a_render_of_a_living_worker_is_left_alone(complete, settings):
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id="busy", host="node-1", pid=1, started_at=now, seen_at=now
    )
    ReportState.objects.create(
        assessment=complete,
        language="en",
        fingerprint="x",
        status="rendering",
        worker_id="busy",
        updated_at=now - dt.timedelta(minutes=5),
    )

    assert recover_orphans() == 0
    assert ReportState.objects.get().status == "rendering"


def test_worker_health_fails_without_a_recent_heartbeat_and_passes_with_one(db, settings):
    with pytest.raises(CommandError, match="No task worker alive"):
        call_command("worker_health")
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id="w1", host="node-1", pid=1, started_at=now, seen_at=now
    )

    call_command("worker_health", worker_id="w1")
    with pytest.raises(CommandError):
        call_command("worker_health", worker_id="someone-else")


def test_healthz_counts_the_live_workers(client, db):
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id="w1", host="node-1", pid=1, started_at=now, seen_at=now
    )
    WorkerHeartbeat.objects.create(
        worker_id="w0", host="node-2", pid=1, started_at=now, seen_at=now - dt.timedelta(hours=1)
    )

    assert client.get("/healthz").json()["workers"] == 1


def test_another_citys_officer_cannot_read_a_stored_report(
    client,
    officer,
    other_city_officer,
    complete,
    report_worker,
):
    client.force_login(officer)
    report_worker.download(client, pdf_url(complete))
    client.force_login(other_city_officer)

    assert client.get(pdf_url(complete)).status_code == 404
    assert client.get(pdf_url(complete, "?previous=1")).status_code == 404


def test_an_answer_changed_after_the_render_is_not_served_from_the_old_report(
    client,
    officer,
    complete,
    report_worker,
):
    client.force_login(officer)
    report_worker.download(client, pdf_url(complete))
    Answer.objects.filter(assessment=complete).update(evidence_note="Changed")

    assert client.get(pdf_url(complete)).status_code == 202


def test_a_report_someone_is_waiting_for_goes_before_those_prepared_ahead(
    client, officer, complete, django_capture_on_commit_callbacks
):
    ahead = AssessmentFactory(complete=True)
    with django_capture_on_commit_callbacks(execute=True):
        submit_and_approve(ahead)
        client.force_login(officer)
        client.get(pdf_url(complete))

    first = (
        DBTaskResult.objects.filter(task_path="assessment.tasks.render_report")
        .order_by("-priority", "enqueued_at")
        .first()
    )
    assert first.args_kwargs["args"][0] == complete.pk


# --- The sweep -------------------------------------------------------------------------------


def test_a_report_queued_by_a_process_that_died_before_enqueueing_is_rendered_after_the_sweep(
    client, officer, complete, report_worker, settings, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    client.get(pdf_url(complete))  # state committed as queued; its on-commit enqueue never ran
    assert render_tasks().count() == 0
    ReportState.objects.update(updated_at=timezone.now() - dt.timedelta(hours=1))

    with django_capture_on_commit_callbacks(execute=True):
        assert report_store.sweep()["requeued"] == 1
    report_worker.run()

    assert client.get(pdf_url(complete))["Content-Type"] == "application/pdf"


def test_a_report_queued_a_moment_ago_is_left_to_its_own_task(
    client, officer, complete, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(pdf_url(complete))
        assert report_store.sweep() == {"requeued": 0, "refreshed": 0}

    assert render_tasks().count() == 1


@pytest.mark.parametrize("field", [4, 12])
def test_the_sweep_schedules_a_bounded_number_of_reports_made_stale_by_new_peer_data(
    field, settings, django_capture_on_commit_callbacks
):
    settings.REPORT_SWEEP_LIMIT = 3
    made_at = timezone.now() - dt.timedelta(hours=1)
    for _ in range(field):
        peer = approved_peer(score=50.0)
        ReportState.objects.create(
            assessment=peer, language="en", fingerprint="old", status="ready", updated_at=made_at
        )
    submit_and_approve(AssessmentFactory(complete=True))  # the peer data changes
    tasks_before = render_tasks().count()

    with django_capture_on_commit_callbacks(execute=True):
        swept = report_store.sweep()

    assert swept["refreshed"] == 3
    assert render_tasks().count() == tasks_before + 3
    assert ReportState.objects.filter(status="queued", fingerprint="old").count() == 0
