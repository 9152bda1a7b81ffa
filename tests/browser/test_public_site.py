import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, log_in, log_out

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(content):
    from partnership.content import load_authorities, load_partnership

    load_authorities()
    load_partnership()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/actions/",
        "/actions/5/",
        "/partnership/",
        "/privacy/",
        "/accessibility/",
        "/accounts/login/",
        "/nope/",
    ],
)
def test_public_pages_have_no_axe_violations(page, site, path):
    page.goto(path)
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)


def test_visitor_reads_an_action_and_follows_a_link(page, site):
    page.goto("/")
    page.get_by_role("link", name="Measure the impact of social cohesion").first.click()
    expect(page.locator("h1")).to_contain_text("social cohesion and inclusion")
    expect(page.get_by_text("City of Mechelen")).to_be_visible()
    page.get_by_role("link", name="Action 6: Security by design").click()
    expect(page).to_have_url(re.compile(r"/actions/6/$"))
    expect(page.locator("h1")).to_contain_text("security by design")


def test_language_switch_works_without_javascript(no_js_page, site):
    no_js_page.goto("/partnership/")
    no_js_page.get_by_label("Language").select_option("fr")
    no_js_page.get_by_role("button", name="Change").click()
    expect(no_js_page.locator("html")).to_have_attribute("lang", "fr")


def test_officer_logs_in_and_out(page, site, officer):
    log_in(page, "officer")
    expect(page.get_by_role("link", name="My assessments")).to_be_visible()
    log_out(page)
    expect(page.get_by_role("link", name="Officer log in")).to_be_visible()
