"""An officer downloads the PDF benchmark report from the results page."""

import pypdf
import pytest

from tests.browser.conftest import assert_accessible, log_in
from tests.factories import AssessmentFactory, fill


@pytest.fixture
def draft(content, officer, authority):
    assessment = AssessmentFactory(authority=authority)
    fill(assessment, level=3, by=officer)
    return assessment


@pytest.mark.django_db(transaction=True)
def test_officer_downloads_the_pdf_report_from_the_results_page(page, draft, tmp_path):
    log_in(page, "officer")
    page.goto(f"/assessment/{draft.pk}/results/")
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the PDF report").click()
    download = download_info.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)

    assert download.suggested_filename == "benchmark-report-mechelen-2026.pdf"
    text = " ".join(page_.extract_text() for page_ in pypdf.PdfReader(saved).pages)
    assert "Mechelen" in text
    assert "page 1 of" in text
