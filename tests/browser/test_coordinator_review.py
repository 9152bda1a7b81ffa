"""The coordinator reviews a submitted assessment: returns it with an item comment, the officer
sees the comment, changes the answer and resubmits, the coordinator sees the change and
approves, and the officer's results say "approved"."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from assessment.models import Assessment
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import AssessmentFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def submitted(content, authority, officer, coordinator):
    """As in the demo: Camille the coordinator, Olivia an officer of Mechelen."""
    get_user_model().objects.filter(pk=coordinator.pk).update(
        first_name="Camille", last_name="Coordinator"
    )
    get_user_model().objects.filter(pk=officer.pk).update(first_name="Olivia", last_name="Officer")
    return AssessmentFactory(authority=authority, submitted=True)


@pytest.fixture
def officer_page(browser, live_server):
    """A second browser, for the officer, so that neither side has to log out and in again."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_return_with_an_item_comment_resubmit_and_approve(page, officer_page, submitted):
    pk = submitted.pk
    log_in(officer_page, "officer")

    # The coordinator finds the submission on the field overview and opens its review.
    log_in(page, "coordinator")
    expect(page.get_by_role("heading", level=1)).to_have_text("Field overview")
    assert_accessible(page)
    page.get_by_role("link", name="Review Mechelen 2026").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review: Mechelen, 2026")
    assert_accessible(page)

    # An item comment, added in place (htmx), then the return with an overall comment.
    item = page.locator("#item-A1_2")
    item.get_by_label("Comment on A1.2").fill("Level 3 needs the data-sharing protocol.")
    item.get_by_role("button", name="Add comment").click()
    expect(item.locator(".item-comment")).to_contain_text(
        "Level 3 needs the data-sharing protocol."
    )
    expect(item.get_by_label("Comment on A1.2")).to_have_value("")
    page.get_by_label("What needs to change").fill("Please document Action 1 better.")
    page.get_by_role("button", name="Return to the officers").click()
    expect(page.get_by_text("Returned to the officers with your comment")).to_be_visible()
    expect(page.locator("#review-status")).to_have_text("Returned for changes")

    # The officer sees the banner and the comment next to the item, changes the answer.
    officer = officer_page
    officer.goto(f"/assessment/{pk}/section/1/")
    expect(officer.locator(".return-banner")).to_contain_text("Please document Action 1 better.")
    officer_item = officer.locator("#item-A1_2")
    expect(officer_item).to_contain_text("Level 3 needs the data-sharing protocol.")
    assert_accessible(officer)
    officer_item.get_by_label(re.compile(r"^4 · Evaluated and improved")).check()
    officer.get_by_role("button", name="Save answers").click()
    expect(
        officer.get_by_text(re.compile("Your answers were saved|nothing new to save"))
    ).to_be_visible()
    officer.goto(f"/assessment/{pk}/")
    expect(officer.locator(".event-history")).to_contain_text("Returned for changes")
    officer.get_by_role("button", name="Submit the assessment").click()
    expect(officer.get_by_text("Submitted for review.")).to_be_visible()
    assert_accessible(officer)

    # The coordinator sees what changed since the return, and approves.
    page.reload()
    changes = page.locator("#changes")
    expect(changes).to_contain_text("1 question changed.")
    expect(changes.locator("tbody tr").first).to_contain_text("A1.2")
    expect(changes.locator("del")).to_have_text("Level 3")
    expect(changes.locator("ins")).to_have_text("Level 4")
    assert_accessible(page)
    page.get_by_role("button", name="Approve this assessment").click()
    expect(page.get_by_text("Approved. Its scores are frozen")).to_be_visible()
    expect(page.locator("#review-status")).to_have_text("Approved")

    # The officer's results now say approved.
    officer.goto(f"/assessment/{pk}/results/")
    expect(officer.locator(".alert-success").first).to_contain_text("Approved")
    assert_accessible(officer)
    assert Assessment.objects.get(pk=pk).status == Assessment.Status.APPROVED


def test_a_stale_review_page_says_a_colleague_acted_without_javascript(
    no_js_page, submitted, coordinator
):
    from assessment import workflow
    from tests.factories import CoordinatorFactory

    page = no_js_page
    log_in(page, "coordinator")
    page.goto(f"/assessment/{submitted.pk}/review/")
    workflow.return_for_changes(
        assessment=submitted,
        by=CoordinatorFactory(),
        comment="Returned by a colleague.",
        notify=False,
    )
    page.get_by_role("button", name="Approve this assessment").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Someone else changed this assessment while you were looking at it"
    )
    expect(page.locator("#review-status")).to_have_text("Returned for changes")
