"""The officer's questionnaire in Chromium: autosave, progress, the missing list, submission.

axe runs once per kind of page visited (dashboard, overview with the missing list, a section
showing a conflict and an error, the submitted overview): the pages visited again differ only
in their values. The no-JavaScript path (Save button, POST/redirect/GET) is covered with the
Django test client in tests/assessment/test_questionnaire_filling.py, and once here in Chromium
with JavaScript off.
"""

import re

import pytest
from playwright.sync_api import expect

from assessment.answers.saving import save_answers
from assessment.answers.values import AnswerValues, PostedItem
from assessment.cycles import current_cycle
from assessment.models import Answer, Assessment, Item
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import AssessmentFactory, fill

pytestmark = pytest.mark.django_db(transaction=True)

LEFT_OPEN = ("A1.2", "A1.4", "A2.1", "A2.3")


@pytest.fixture
def draft(content, authority, officer):
    """The current cycle, answered except two questions in Action 1 and two in Action 2."""
    assessment = AssessmentFactory(authority=authority, cycle=current_cycle(), created_by=officer)
    fill(
        assessment,
        level=2,
        by=officer,
        items=Item.objects.filter(questionnaire=assessment.questionnaire).exclude(
            code__in=LEFT_OPEN
        ),
    )
    return assessment


def card(page, code: str):
    return page.locator(f"#item-{code.replace('.', '_')}")


def test_officer_answers_two_sections_and_submits(page, draft, colleague):
    log_in(page, "officer")
    expect(page.locator("h1")).to_have_text("My assessments")
    expect(page.get_by_text("42 of 46 answered (91%)")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name=re.compile(f"Continue the {draft.cycle} assessment")).click()
    expect(page.locator("h1")).to_contain_text(f"Mechelen: {draft.cycle} self-assessment")

    # An early submit lists what is missing, section by section, with links.
    page.get_by_role("button", name="Submit the assessment").click()
    missing = page.locator("#missing")
    expect(missing).to_contain_text("2 required questions in Action 1 are unanswered.")
    expect(missing).to_contain_text("2 required questions in Action 2 are unanswered.")
    assert_accessible(page)
    missing.get_by_role("link", name="A1.2", exact=True).click()
    expect(page).to_have_url(re.compile(r"/section/1/#item-A1_2$"))
    expect(page.locator("#overall-progress-text")).to_have_text("42 of 46 questions answered (91%)")

    # Meanwhile a colleague answers A1.2: my different answer is not applied over theirs.
    a12 = Item.objects.get(questionnaire=draft.questionnaire, code="A1.2")
    save_answers(
        assessment=draft,
        by=colleague,
        posted=[
            PostedItem(
                item=a12,
                values=AnswerValues(level=1),
                version=0,
                loaded=AnswerValues().fingerprint(),
            )
        ],
    )
    card(page, "A1.2").get_by_label("3 · Implemented and monitored").check()
    conflict = card(page, "A1.2").locator(".conflict")
    expect(conflict).to_contain_text("Their answer (saved)")
    expect(conflict).to_contain_text("1 · Ad hoc")
    expect(conflict).to_contain_text("3 · Implemented and monitored")
    expect(card(page, "A1.2").get_by_label("3 · Implemented and monitored")).to_be_checked()
    expect(page.locator("#overall-progress-text")).to_have_text("43 of 46 questions answered (93%)")

    # A figure out of range is refused next to the field.
    figure = card(page, "A1.4").get_by_label("Your figure (years)")
    figure.fill("12")
    figure.blur()
    expect(card(page, "A1.4")).to_contain_text("Enter a number from 0 to 10 years.")
    assert_accessible(page)  # a section with a conflict and an error

    conflict.get_by_role("button", name="Keep my answer").click()
    expect(card(page, "A1.2").locator(".item-status")).to_contain_text("Saved at")
    expect(card(page, "A1.2").locator(".conflict")).to_have_count(0)
    card(page, "A1.4").get_by_label("Your figure (years)").fill("2")
    card(page, "A1.4").get_by_label("Your figure (years)").blur()
    expect(card(page, "A1.4").locator(".item-status")).to_contain_text("Saved at")
    expect(card(page, "A1.4")).not_to_contain_text("Enter a number")
    expect(page.locator("#save-status")).to_contain_text("All changes saved at")
    expect(page.locator("#overall-progress-text")).to_have_text("44 of 46 questions answered (96%)")

    # Reloading finds both answers.
    page.reload()
    expect(card(page, "A1.2").get_by_label("3 · Implemented and monitored")).to_be_checked()
    expect(card(page, "A1.4").get_by_label("Your figure (years)")).to_have_value("2")

    # The second section.
    page.locator("#progress-panel").get_by_role("link", name="Action 2: Governance").click()
    expect(page.locator("h1")).to_contain_text("Action 2")
    card(page, "A2.1").get_by_label("4 · Evaluated and improved").check()
    expect(card(page, "A2.1").locator(".item-status")).to_contain_text("Saved at")
    card(page, "A2.3").locator("input[inputmode=decimal]").fill("6")
    card(page, "A2.3").locator("input[inputmode=decimal]").blur()
    expect(card(page, "A2.3").locator(".item-status")).to_contain_text("Saved at")
    expect(page.locator("#overall-progress-text")).to_have_text(
        "46 of 46 questions answered (100%)"
    )
    page.reload()
    expect(card(page, "A2.1").get_by_label("4 · Evaluated and improved")).to_be_checked()

    # Complete: submit.
    page.get_by_role("link", name="Overview and submission").click()
    page.get_by_role("button", name="Submit the assessment").click()
    expect(page.get_by_text("Submitted for review.")).to_be_visible()
    expect(page.locator(".status-badge").first).to_have_text("Submitted")
    assert_accessible(page)
    draft.refresh_from_db()
    assert draft.status == Assessment.Status.SUBMITTED
    levels = dict(
        Answer.objects.filter(assessment=draft, item__code__in=LEFT_OPEN).values_list(
            "item__code", "level"
        )
    )
    assert levels["A1.2"] == 3 and levels["A2.1"] == 4


def test_without_javascript_the_save_button_saves_and_explains_errors(no_js_page, draft):
    page = no_js_page
    log_in(page, "officer")
    page.goto(f"/assessment/{draft.pk}/section/1/")
    card(page, "A1.2").get_by_label("2 · Defined").check()
    card(page, "A1.4").get_by_label("Your figure (years)").fill("11")
    page.get_by_role("button", name="Save answers").click()
    expect(page.locator("#error-summary")).to_contain_text("One answer was not saved")
    expect(card(page, "A1.4")).to_contain_text("Enter a number from 0 to 10 years.")
    expect(card(page, "A1.2").get_by_label("2 · Defined")).to_be_checked()
    card(page, "A1.4").get_by_label("Your figure (years)").fill("3")
    page.get_by_role("button", name="Save answers").click()
    expect(page.get_by_text(re.compile(r"Your answers were saved at \d\d:\d\d"))).to_be_visible()
    expect(page.locator("#overall-progress-text")).to_have_text("44 of 46 questions answered (96%)")
