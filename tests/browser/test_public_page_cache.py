"""Two citizens open the same cached Action page, each in their own browser, and both comment."""

import os
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(content, settings):
    from partnership.content import load_partnership
    from tests.factories import FeedbackRoundFactory

    settings.FEEDBACK_MIN_SECONDS = 0  # the browser fills the form faster than a person
    load_partnership()
    FeedbackRoundFactory(post_moderation=True)


def comment(page, text: str) -> None:
    page.get_by_label("Your comment", exact=True).fill(text)
    page.get_by_label("Citizen").check()
    page.get_by_label("Country").select_option("BE")
    page.get_by_label("I have read the privacy notice").check()
    page.get_by_role("button", name="Send comment").click()


def test_two_citizens_comment_from_the_cached_page_with_their_own_tokens(
    browser, live_server, site
):
    contexts = [
        browser.new_context(
            base_url=live_server.url, java_script_enabled=js, reduced_motion="reduce"
        )
        for js in (True, False)
    ]
    pages = [context.new_page() for context in contexts]
    try:
        for page in pages:
            page.goto("/actions/3/")  # the second is served from the cache
        tokens = [
            page.locator("input[name=csrfmiddlewaretoken]").first.input_value() for page in pages
        ]
        assert tokens[0] != tokens[1]
        assert_accessible(pages[0])
        if os.environ.get("SCREENSHOT_DIR"):
            pages[1].screenshot(
                path=f"{os.environ['SCREENSHOT_DIR']}/cached-action.png", full_page=True
            )
        comment(pages[0], "The first citizen asks for the evaluation criteria, published.")
        comment(pages[1], "The second citizen asks how small towns can take part in it.")
        for page in pages:
            expect(page.locator("main")).to_contain_text(
                re.compile("your comment is published", re.I)
            )

        pages[0].goto("/actions/3/")
        expect(pages[0].get_by_text("how small towns can take part")).to_be_visible()
    finally:
        for context in contexts:
            context.close()
