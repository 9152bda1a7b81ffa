"""The language menu works without JavaScript and keeps the page the person is on; the saved
language follows the person to another browser. Screenshots in French and Polish go to
$SCREENSHOT_DIR when it is set (to look at them)."""

import os

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, log_in
from tests.factories import TEST_PASSWORD, AssessmentFactory, CommentFactory, FeedbackRoundFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("six_languages")]


def switch_to(page, language: str) -> None:
    form = page.locator("form.lang-form")
    form.locator("select").select_option(language)
    form.get_by_role("button").click()
    page.wait_for_load_state()


def screenshot(page_or_part, name: str) -> None:
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        page_or_part.screenshot(path=os.path.join(folder, name))


def test_without_js_the_switcher_keeps_a_section_page_and_its_query_string(
    no_js_page, live_server, content, authority, officer
):
    draft = AssessmentFactory(authority=authority)
    log_in(no_js_page, "officer")
    path = f"/assessment/{draft.pk}/section/2/?from=overview"
    no_js_page.goto(path)

    switch_to(no_js_page, "fr")

    assert no_js_page.url == live_server.url + path
    expect(no_js_page.locator("html")).to_have_attribute("lang", "fr")
    screenshot(no_js_page, "section-fr.png")

    switch_to(no_js_page, "pl")
    assert no_js_page.url == live_server.url + path
    expect(no_js_page.locator("html")).to_have_attribute("lang", "pl")
    screenshot(no_js_page, "section-pl.png")


def test_without_js_the_switcher_keeps_an_action_page(no_js_page, live_server, content):
    feedback_round = FeedbackRoundFactory(title="Open round", slug="open-round")
    CommentFactory(
        round=feedback_round,
        published=True,
        language="pl",
        body="Proszę opublikować wskaźniki błędów dla każdej grupy osób.",
    )
    path = "/actions/3/?comments=1"
    no_js_page.goto(path)

    switch_to(no_js_page, "pl")

    assert no_js_page.url == live_server.url + path
    expect(no_js_page.locator("html")).to_have_attribute("lang", "pl")
    expect(no_js_page.locator(".feedback-body").first).to_have_attribute("lang", "pl")
    expect(no_js_page.locator("#comment_language")).to_have_value("pl")
    screenshot(no_js_page, "action-pl.png")
    screenshot(no_js_page.locator("#comments"), "action-pl-comments.png")
    screenshot(no_js_page.locator("#comment-form-region"), "action-pl-comment-form.png")

    switch_to(no_js_page, "fr")
    assert no_js_page.url == live_server.url + path
    expect(no_js_page.locator("html")).to_have_attribute("lang", "fr")
    expect(no_js_page.locator("#comment_language")).to_have_value("fr")
    screenshot(no_js_page, "action-fr.png")


def test_the_saved_language_follows_the_person_to_another_browser(
    page, browser, live_server, content, officer
):
    log_in(page, "officer")
    page.goto("/account/language/")
    page.get_by_label("Polski").check()
    page.locator("main form button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "pl")
    expect(page.get_by_label("Polski")).to_be_checked()
    screenshot(page, "your-language-pl.png")
    assert_accessible(page)

    # Another browser, in French: the login page is French until the person is known.
    other = browser.new_context(base_url=live_server.url, locale="fr-FR").new_page()
    other.goto("/accounts/login/")
    expect(other.locator("html")).to_have_attribute("lang", "fr")
    other.locator("#id_username").fill("officer")
    other.locator("#id_password").fill(TEST_PASSWORD)
    other.locator("main form button[type=submit]").click()
    other.wait_for_load_state()
    expect(other.locator("html")).to_have_attribute("lang", "pl")
    other.context.close()
