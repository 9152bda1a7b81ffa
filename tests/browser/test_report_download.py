"""An officer downloads the PDF benchmark report from the results page: a task worker renders
it while a "being prepared" page waits for it, with JavaScript (htmx) and without (refresh)."""

import threading

import pypdf
import pytest
from django.db import connections

from tests.browser.conftest import assert_accessible, log_in
from tests.factories import AssessmentFactory, fill


@pytest.fixture
def draft(content, officer, authority):
    assessment = AssessmentFactory(authority=authority)
    fill(assessment, level=3, by=officer)
    return assessment


@pytest.fixture
def task_worker(transactional_db):
    """django-tasks-db's worker loop in a thread of the test process (which holds the test
    database), as `manage.py run_worker` runs it in production."""
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(
        queue_names=["default"],
        interval=0.2,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="browser-test-worker",
        excluded_queue_names=[],
    )
    shared = connections["default"]  # the live server shares it too (in-memory SQLite)
    shared.inc_thread_sharing()

    def run():
        connections["default"] = shared
        worker.run()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    yield worker
    worker.running = False
    thread.join(timeout=30)
    shared.dec_thread_sharing()


def download_pdf(page, tmp_path):
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the PDF report").click()
    download = download_info.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    return download, saved


@pytest.mark.django_db(transaction=True)
def test_officer_downloads_the_pdf_report_once_the_worker_has_prepared_it(
    page, draft, task_worker, tmp_path
):
    log_in(page, "officer")
    page.goto(f"/assessment/{draft.pk}/results/")
    assert_accessible(page)

    page.get_by_role("link", name="Download the PDF report").click()
    page.get_by_text("Your report is being prepared").wait_for()
    assert_accessible(page)
    page.screenshot(path=str(tmp_path / "preparing.png"), full_page=True)
    page.get_by_text("Your report is ready.").wait_for(timeout=60_000)
    assert_accessible(page)
    page.screenshot(path=str(tmp_path / "ready.png"), full_page=True)
    download, saved = download_pdf(page, tmp_path)

    assert download.suggested_filename == "benchmark-report-mechelen-2026.pdf"
    text = " ".join(page_.extract_text() for page_ in pypdf.PdfReader(saved).pages)
    assert "Mechelen" in text
    assert "page 1 of" in text


@pytest.mark.django_db(transaction=True)
def test_without_javascript_the_preparing_page_refreshes_until_the_report_is_ready(
    no_js_page, draft, task_worker, tmp_path
):
    log_in(no_js_page, "officer")
    no_js_page.goto(f"/assessment/{draft.pk}/report.pdf")
    no_js_page.get_by_text("Your report is being prepared").wait_for()

    no_js_page.get_by_text("Your report is ready.").wait_for(timeout=60_000)
    download, _saved = download_pdf(no_js_page, tmp_path)

    assert download.suggested_filename == "benchmark-report-mechelen-2026.pdf"
