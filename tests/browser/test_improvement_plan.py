"""The improvement plan in Chromium: an officer builds a plan with JavaScript (the what-if
updates as targets change, before saving) and without (computed on save), and a colleague's
concurrent change is shown beside the officer's, never lost."""

import os
import re
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from assessment.cycles import current_cycle
from assessment.models import Answer, Item, PlanTarget
from assessment.plans import PostedTarget, TargetValues, save_targets
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import AssessmentFactory, approved_peer, fill

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("SCREENSHOT_DIR", tempfile.gettempdir()))


@pytest.fixture
def draft(content, authority, officer):
    """This cycle, every item at level 2; A3.2 at level 0 (it is offered to improve first)."""
    assessment = AssessmentFactory(authority=authority, cycle=current_cycle(), created_by=officer)
    fill(assessment, level=2, by=officer)
    Answer.objects.filter(assessment=assessment, item__code="A3.2").update(level=0)
    for n in range(6):
        approved_peer(score=30.0 + 8 * n, cycle=assessment.cycle)
    return assessment


def row(page, code: str):
    return page.locator(f"#row-plan-{code.replace('.', '_')}")


def overall_planned(page):
    return page.locator(".plan-what-if tbody tr").first.locator("td").nth(1)


def test_officer_builds_a_plan_with_javascript(page, draft):
    log_in(page, "officer")
    page.goto(f"/assessment/{draft.pk}/results/")
    page.get_by_role("link", name="Open the improvement plan").click()
    expect(page.locator("h1")).to_have_text(re.compile("Improvement plan of Mechelen"))
    before = overall_planned(page).inner_text()

    # The what-if follows the target as it is chosen, before anything is saved.
    row(page, "A3.2").get_by_label("Target level").select_option("4")
    expect(page.locator("#what-if")).to_contain_text("not saved yet")
    expect(overall_planned(page)).not_to_have_text(before)
    assert not PlanTarget.objects.exists()

    row(page, "A3.2").get_by_label("Owner").fill("Data protection office")
    page.get_by_role("button", name="Save the plan").click()
    expect(page.get_by_text("Saved 1 target.")).to_be_visible()
    expect(row(page, "A3.2").get_by_label("Owner")).to_have_value("Data protection office")
    page.screenshot(path=str(SHOTS / "plan-with-js.png"), full_page=True)
    assert_accessible(page)
    target = PlanTarget.objects.get(item__code="A3.2")
    assert (target.level, target.owner) == (4, "Data protection office")

    # A refused target says why, next to the field.
    row(page, "A3.2").get_by_label("Target cycle").fill("2001")
    page.get_by_role("button", name="Save the plan").click()
    expect(row(page, "A3.2")).to_contain_text("not one in the past")
    assert_accessible(page)


def test_officer_builds_a_plan_without_javascript(no_js_page, draft):
    page = no_js_page
    log_in(page, "officer")
    page.goto(f"/assessment/{draft.pk}/plan/")
    page.get_by_label("Item of the questionnaire").select_option("A1.8")
    page.get_by_role("button", name="Add to the plan").click()
    row(page, "A1.8").get_by_label("Target level").select_option("3")
    row(page, "A1.8").get_by_label("Owner").fill("Statistics office")
    page.get_by_role("button", name="Save the plan").click()
    expect(page.get_by_text("Saved 1 target.")).to_be_visible()
    # Computed on save: one target in Action 1, and Action 1 would score more.
    action_1 = page.locator(".plan-what-if tbody tr").nth(1)
    expect(action_1.locator("td").nth(2)).to_have_text("1")
    expect(action_1.locator("td").nth(1)).to_contain_text("(+")
    page.screenshot(path=str(SHOTS / "plan-without-js.png"), full_page=True)
    assert PlanTarget.objects.get(item__code="A1.8").owner == "Statistics office"


def test_a_colleagues_concurrent_change_is_shown_and_not_lost(page, draft, colleague):
    log_in(page, "officer")
    page.goto(f"/assessment/{draft.pk}/plan/")
    row(page, "A3.2").get_by_label("Target level").select_option("3")
    row(page, "A3.2").get_by_label("Owner").fill("My team")

    # Meanwhile the colleague sets a target on the same item.
    item = Item.objects.get(questionnaire=draft.questionnaire, code="A3.2")
    save_targets(
        assessment=draft,
        by=colleague,
        posted=[
            PostedTarget(
                item=item,
                values=TargetValues(level=4, target_cycle=draft.cycle + 2, owner="Their team"),
                version=0,
                loaded=TargetValues().fingerprint(),
            )
        ],
    )
    page.get_by_role("button", name="Save the plan").click()
    conflict = row(page, "A3.2").locator(".conflict")
    expect(conflict).to_contain_text("after you opened the page")
    expect(conflict.locator(".theirs")).to_contain_text("Their team")
    expect(row(page, "A3.2").get_by_label("Owner")).to_have_value("My team")
    page.screenshot(path=str(SHOTS / "plan-conflict.png"), full_page=True)
    assert_accessible(page)
    assert PlanTarget.objects.get(item=item).owner == "Their team"

    conflict.get_by_role("button", name="Keep my target").click()
    expect(page.get_by_text("Saved 1 target.")).to_be_visible()
    target = PlanTarget.objects.get(item=item)
    assert (target.level, target.owner) == (3, "My team")
