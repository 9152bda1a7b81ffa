"""An officer goes from the questionnaire to the results and reads them."""

import re

import pytest
from playwright.sync_api import expect

from actions.models import Action
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import AssessmentFactory, approved_peer, fill


@pytest.fixture
def draft(content, officer, authority):
    assessment = AssessmentFactory(authority=authority)
    fill(assessment, level=3)
    for n in range(6):
        approved_peer(score=30 + 8 * n, country="FR", population=90_000 + n)
    approved_peer(score=50, country="BE", population=300_000)
    return assessment


def open_results(page, assessment) -> None:
    """From the questionnaire overview, follow its link to the results."""
    page.goto(f"/assessment/{assessment.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Scores and comparison with peers").click()
    page.wait_for_url(f"**/assessment/{assessment.pk}/results/")


@pytest.mark.django_db(transaction=True)
def test_officer_reads_the_six_action_scores_and_the_chart(page, draft):
    log_in(page, "officer")

    open_results(page, draft)

    expect(page.get_by_role("heading", level=1)).to_contain_text("Results of Mechelen")
    expect(page.get_by_text("Provisional: not yet submitted.")).to_be_visible()
    for action in Action.objects.order_by("number"):
        section = page.locator(f"#action-{action.number}")
        expect(section.get_by_role("heading", level=3)).to_contain_text(action.final_title)
        expect(section.locator(".action-score")).to_contain_text(re.compile(r"\d+\.\d / 100"))
    chart = page.get_by_role("img", name=re.compile("Action scores of Mechelen"))
    expect(chart).to_be_visible()
    suppressed = page.locator("#action-1").get_by_text("not enough peers to compare (n < 5)")
    expect(suppressed).to_be_visible()

    page.locator("#action-1 details.score-explanation summary").click()
    expect(page.locator("#action-1 .explanation-table")).to_contain_text("A1.2")
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_the_explanations_open_without_javascript(no_js_page, draft):
    log_in(no_js_page, "officer")

    no_js_page.goto(f"/assessment/{draft.pk}/results/")
    no_js_page.locator("#action-2 details.score-explanation summary").click()

    expect(no_js_page.locator("#action-2 .explanation-table")).to_be_visible()
    expect(no_js_page.get_by_role("img", name=re.compile("Action scores"))).to_be_visible()
