"""The questionnaire, the public comment form and the login with the keyboard alone: Tab,
Space, arrow keys, typing and Enter, never a click. Each element reached shows where the focus
is (WCAG 2.4.7)."""

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from assessment.cycles import current_cycle
from assessment.models import Answer
from feedback.models import Comment
from tests.browser.conftest import assert_accessible
from tests.factories import TEST_PASSWORD, AssessmentFactory, FeedbackRoundFactory

pytestmark = pytest.mark.django_db(transaction=True)

MAX_TABS = 250
FOCUS_SHOWN = """() => {
    const element = document.activeElement;
    const style = getComputedStyle(element);
    return element.matches(":focus-visible")
        && (style.outlineStyle !== "none" || style.boxShadow !== "none");
}"""


def tab_to(page, selector: str) -> None:
    """Press Tab until the focus is on `selector`; fail if it never gets there."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            assert page.evaluate(FOCUS_SHOWN), f"the focus on {selector} is not visible"
            return
    raise AssertionError(f"{selector} cannot be reached with Tab")


def log_in_with_cookie(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_officer_logs_in_with_the_keyboard(page, content, officer):
    page.goto("/")
    tab_to(page, "a[href^='/accounts/login/']")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_count(1)
    tab_to(page, "input[name=username]")
    page.keyboard.type("officer")
    page.keyboard.press("Tab")
    page.keyboard.type(TEST_PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="My assessments")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/assessment/$"))
    assert_accessible(page)


def test_officer_answers_and_saves_a_section_with_the_keyboard(
    page, live_server, content, authority, officer
):
    assessment = AssessmentFactory(authority=authority, cycle=current_cycle())
    log_in_with_cookie(page, live_server, officer)
    page.goto(f"/assessment/{assessment.pk}/section/1/")

    # Each change autosaves (htmx); waiting for "Saved at" keeps the live server's in-memory
    # SQLite from two writes at once, as a person reading the page would.
    tab_to(page, "input[name='A1_1-yes'][value='yes']")  # yes / no
    page.keyboard.press("Space")
    expect(page.locator("#status-A1_1")).to_contain_text("Saved at")
    tab_to(page, "input[name='A1_2-level']")  # maturity 0-4: Space ticks 0, arrows move on
    page.keyboard.press("Space")
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    expect(page.locator("#status-A1_2")).to_contain_text("Saved at")
    tab_to(page, "input[name='A1_4-number']")  # a number
    page.keyboard.type("2")
    expect(page.locator("#status-A1_4")).to_contain_text("Saved at")
    tab_to(page, "#questionnaire-form button[type=submit]:not([name])")
    page.keyboard.press("Enter")

    expect(
        page.get_by_text(re.compile(r"Your answers were saved at|nothing new to save"))
    ).to_be_visible()
    answers = {
        a.item.code: a for a in Answer.objects.filter(assessment=assessment).select_related("item")
    }
    assert answers["A1.1"].yes is True
    assert answers["A1.2"].level == 3
    assert answers["A1.4"].number == 2
    assert_accessible(page)


def test_visitor_sends_a_comment_with_the_keyboard(page, content, settings):
    settings.FEEDBACK_MIN_SECONDS = 0
    FeedbackRoundFactory(title="Open round", slug="open-round")
    page.goto("/feedback/actions/3/comment/")

    tab_to(page, "textarea[name=body]")
    page.keyboard.type("Publish the error rates of every system, group by group.")
    tab_to(page, "input[name=display_name]")
    page.keyboard.type("Luc")
    tab_to(page, "input[name=respondent_type]")
    page.keyboard.press("Space")  # the first respondent type
    tab_to(page, "select[name=country]")
    page.keyboard.type("France")  # type-ahead picks the option
    tab_to(page, "input[name=consent]")
    page.keyboard.press("Space")
    tab_to(page, "button[type=submit]:not(.lang-form button)")
    page.keyboard.press("Enter")

    expect(page.get_by_text(re.compile(r"^Thank you: your comment"))).to_be_visible()
    comment = Comment.objects.get()
    assert comment.body.startswith("Publish the error rates")
    assert comment.country == "FR"
    assert_accessible(page)
