"""An officer downloads the PDF benchmark report from the results page: a task worker renders
it while a "being prepared" page waits for it, with JavaScript (htmx) and without (refresh)."""

import pypdf
import pytest

from tests.browser.conftest import assert_accessible, log_in
from tests.factories import AssessmentFactory, fill


@pytest.fixture
def draft(content, officer, authority):
    assessment = AssessmentFactory(authority=authority)
    fill(assessment, level=3, by=officer)
    return assessment


@pytest.fixture
def task_worker(transactional_db):
    """Runs the queued tasks, as `manage.py run_worker` does, in the test's thread.

    The live server shares the test's in-memory SQLite database, which cannot take a render
    and a request at the same time; so while the worker runs, the browser's requests for the
    report wait in Playwright's route handler (which only runs when the test calls Playwright),
    and reach the server once the worker is done.
    """
    from django.core.management import call_command

    def run(page):
        page.route("**/report.pdf*", lambda route: route.continue_())
        call_command("run_worker", batch=True, verbosity=0)

    return run


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
    task_worker(page)
    page.get_by_text("Your report is ready.").wait_for(timeout=30_000)
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
    task_worker(no_js_page)

    no_js_page.get_by_text("Your report is ready.").wait_for(timeout=30_000)
    download, _saved = download_pdf(no_js_page, tmp_path)

    assert download.suggested_filename == "benchmark-report-mechelen-2026.pdf"
