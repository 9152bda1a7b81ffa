"""A citizen comments on a draft Action; a coordinator publishes and answers it."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, log_in, log_out

pytestmark = pytest.mark.django_db(transaction=True)
COMMENT = "Please publish the error rates of every AI trial, for each group of people."


@pytest.fixture
def site(content, settings):
    from partnership.content import load_partnership

    settings.FEEDBACK_MIN_SECONDS = 0  # the browser fills the form faster than a person
    load_partnership()


def fill_comment(page, text: str = COMMENT) -> None:
    page.get_by_label("Your comment", exact=True).fill(text)
    page.get_by_label("Name to show with your comment (optional)").fill("Ilse")
    page.get_by_label("Citizen").check()
    page.get_by_label("Country").select_option("BE")
    page.get_by_label("I have read the privacy notice").check()
    page.get_by_role("button", name="Send comment").click()


def test_citizen_comment_is_published_and_answered(page, site, coordinator):
    from feedback.demo import load_demo_feedback

    load_demo_feedback()
    page.goto("/actions/3/")
    expect(page.get_by_text("“Demo round: try the comment form” is open")).to_be_visible()
    expect(page.get_by_text(re.compile(r"closed on 9 September 2020"))).to_be_visible()

    page.get_by_label("Your comment", exact=True).fill("Too short")
    page.get_by_role("button", name="Send comment").click()
    expect(page.get_by_text("Your comment is too short")).to_be_visible()
    expect(page.get_by_text("To send a comment, you must agree")).to_be_visible()
    expect(page.get_by_label("Your comment", exact=True)).to_have_value("Too short")
    assert_accessible(page)

    fill_comment(page)
    confirmation = page.get_by_text("your comment was received and is awaiting moderation")
    expect(confirmation).to_be_visible()
    expect(page.get_by_text(COMMENT)).to_be_visible()
    assert_accessible(page)

    log_in(page, "coordinator")
    page.get_by_role("link", name="Moderation").click()
    row = page.get_by_role("row").filter(has_text=COMMENT)
    row.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("The comment is published.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Show").select_option("all")
    page.get_by_role("button", name="Show", exact=True).click()
    page.get_by_role("row").filter(has_text=COMMENT).get_by_role("link", name="Open").click()
    answer = page.get_by_role("textbox", name="Official response")
    answer.fill("Thank you: the evaluation will report them.")
    page.get_by_role("button", name="Save response").click()
    expect(page.get_by_text("The official response is saved.")).to_be_visible()
    assert_accessible(page)
    log_out(page)

    page.goto("/actions/3/")
    comment = page.get_by_role("article", name="Comment by Ilse")
    expect(comment).to_contain_text(COMMENT)
    expect(comment).to_contain_text("Official response from the partnership coordinators")
    expect(comment).to_contain_text("Thank you: the evaluation will report them.")
    assert_accessible(page)


def test_commenting_works_without_javascript(no_js_page, site):
    from tests.factories import FeedbackRoundFactory

    FeedbackRoundFactory(post_moderation=True)
    no_js_page.goto("/actions/3/")
    fill_comment(no_js_page)
    expect(no_js_page.locator("h1")).to_have_text("Your comment is published")
    no_js_page.get_by_role("link", name="Back to Action 3").click()
    expect(no_js_page.get_by_text(COMMENT)).to_be_visible()


def test_the_closed_2020_round_shows_its_notice(page, site):
    from feedback.demo import ensure_2020_round

    ensure_2020_round()
    page.goto("/actions/2/")
    expect(
        page.get_by_text(
            "The feedback round “Public feedback on the draft Action Plan (2020)” closed on "
            "9 September 2020."
        )
    ).to_be_visible()
    expect(page.get_by_label("Your comment", exact=True)).to_have_count(0)
    assert_accessible(page)

    widget = page.get_by_role("complementary", name="Was this page useful?")
    widget.get_by_label("Yes").check()
    widget.get_by_role("button", name="Send answer").click()
    expect(page.get_by_text("Thank you for your answer.")).to_be_visible()

    page.get_by_role("link", name="Summary of the round").click()
    expect(page.locator("h1")).to_have_text("Public feedback on the draft Action Plan (2020)")
    assert_accessible(page)
