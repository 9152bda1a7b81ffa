"""A visitor without an account finds "The field in figures", reads it, downloads a CSV and
calls the API from the page's examples."""

import os
import re
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.opendata.conftest import seed_field

pytestmark = pytest.mark.django_db(transaction=True)
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", tempfile.gettempdir()))


@pytest.fixture
def field(content, settings):
    settings.OPENDATA_RATE_LIMIT = (10_000, 60)
    seed_field(countries={"BE": 8, "FR": 6, "LV": 4}, cycle=2024, score=45.0)
    seed_field(countries={"BE": 12, "FR": 10, "LV": 4}, cycle=2025, score=50.0)


def test_a_visitor_finds_reads_and_downloads_the_field_in_figures(page, field, live_server):
    page.goto("/")
    page.get_by_role("link", name=re.compile("The field in figures: how")).click()
    expect(page.locator("h1")).to_have_text("The field in figures")
    expect(page.locator("svg.field-chart")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("^Latvia"))).to_contain_text("not published")
    page.screenshot(path=str(SCREENSHOTS / "open-data-page.png"), full_page=True)
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("^Scores per Action")).click()
    assert download.value.suggested_filename == "sps-open-data-aggregates.csv"
    example = page.locator("pre code").inner_text().splitlines()[1].removeprefix("curl ")
    path = example.removeprefix(live_server.url) if example.startswith("http") else example
    response = page.request.get(re.sub(r"^https?://[^/]+", "", path))
    assert response.ok and response.json()["groups"][0]["authorities"] == 26


def test_the_page_works_without_javascript_and_switches_cycle(no_js_page, field):
    no_js_page.goto("/open-data/")
    no_js_page.get_by_label("Cycle and questionnaire version").select_option(
        label="2024 (questionnaire 2024.1)"
    )
    no_js_page.get_by_role("button", name="Show").click()
    expect(
        no_js_page.get_by_role("heading", level=2, name=re.compile("Scores in 2024"))
    ).to_be_visible()
