"""What the officers' and coordinators' pages say: numbers as people write them, the status an
assessment really has, the band ladder and why another Action's question is worth improving."""

import re

import pytest
from django.urls import reverse

from assessment import scoring, workflow
from assessment.models import Answer
from tests.factories import AssessmentFactory, fill

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return text_of_html(response.content.decode())


def test_the_review_page_writes_three_years_not_three_point_zero_zero(
    client, content, authority, officer, coordinator
):
    assessment = AssessmentFactory(authority=authority, complete=True)
    Answer.objects.filter(assessment=assessment, item__code="A1.4").update(number=3)
    workflow.submit(assessment=assessment, by=officer, notify=False)
    client.force_login(coordinator)
    page = text_of(client.get(reverse("assessment:review", args=[assessment.pk])))
    assert "3 years" in page
    assert "3.00 years" not in page


def submitted_with_years(officer, authority, years):
    assessment = AssessmentFactory(authority=authority, complete=True)
    Answer.objects.filter(assessment=assessment, item__code="A1.4").update(number=years)
    workflow.submit(assessment=assessment, by=officer, notify=False)
    return assessment


@pytest.mark.parametrize(("years", "expected"), [(1, "1 year"), (3, "3 years"), (0, "0 years")])
def test_the_review_page_makes_the_unit_agree_with_the_number(
    client, content, authority, officer, coordinator, years, expected
):
    assessment = submitted_with_years(officer, authority, years)
    client.force_login(coordinator)
    page = text_of(client.get(reverse("assessment:review", args=[assessment.pk])))
    assert re.search(rf"\b{expected}\b(?! years)", page)
    assert "1 years" not in page


@pytest.mark.parametrize(("years", "expected"), [(1, "1 year"), (3, "3 years")])
def test_the_results_page_makes_the_unit_agree_with_the_number(
    client, content, authority, officer, years, expected
):
    assessment = submitted_with_years(officer, authority, years)
    client.force_login(officer)
    page = text_of(client.get(reverse("assessment:results", args=[assessment.pk])))
    assert re.search(rf"\b{expected}\b(?! years)", page)
    assert "1 years" not in page


@pytest.mark.parametrize(("years", "expected"), [(1, "1 an"), (3, "3 ans")])
def test_in_french_the_unit_agrees_with_the_number_too(
    client, content, authority, officer, coordinator, years, expected
):
    assessment = submitted_with_years(officer, authority, years)
    client.force_login(coordinator)
    response = client.get(
        reverse("assessment:review", args=[assessment.pk]), HTTP_ACCEPT_LANGUAGE="fr"
    )
    page = text_of(response)
    assert re.search(rf"\b{expected}\b", page)
    assert not re.search(r"\d years?\b", page)


def test_an_approved_assessments_section_says_approved_not_submitted(
    client, content, authority, officer
):
    approved = AssessmentFactory(authority=authority, cycle=2025, approved=True)
    submitted = AssessmentFactory(authority=authority, cycle=2024, submitted=True)
    client.force_login(officer)
    page = text_of(client.get(reverse("assessment:section", args=[approved.pk, 1])))
    assert "This assessment has been approved, so its answers are read-only." in page
    assert "has been submitted" not in page
    page = text_of(client.get(reverse("assessment:section", args=[submitted.pk, 1])))
    assert "This assessment has been submitted, so its answers are read-only." in page


def test_the_results_page_explains_every_band_with_the_engines_thresholds(
    client, content, authority, officer
):
    assessment = AssessmentFactory(authority=authority, complete=True)
    client.force_login(officer)
    page = text_of(client.get(reverse("assessment:results", args=[assessment.pk])))
    assert "What the bands mean" in page
    assert [(rung.band, rung.floor, rung.ceiling) for rung in scoring.band_ladder()] == [
        ("initial", 0, 25),
        ("developing", 25, 50),
        ("established", 50, 75),
        ("advanced", 75, None),
    ]
    for expected in (
        "Initial under 25",
        "Developing 25 to under 50",
        "Established 50 to under 75",
        "Advanced 75 and over",
    ):
        assert expected in page


def test_the_ladder_follows_the_engine_and_is_not_written_in_the_template(
    client, content, authority, officer, monkeypatch
):
    monkeypatch.setattr(
        scoring, "_BAND_FLOORS", ((80.0, "advanced"), (60.0, "established"), (30.0, "developing"))
    )
    assessment = AssessmentFactory(authority=authority, complete=True)
    client.force_login(officer)
    page = text_of(client.get(reverse("assessment:results", args=[assessment.pk])))
    assert "Developing 30 to under 60" in page and "Advanced 80 and over" in page


def test_an_improvement_from_another_action_says_its_weight_towards_this_one(
    client, content, authority, officer
):
    assessment = AssessmentFactory(authority=authority)
    fill(assessment, level=4)
    Answer.objects.filter(assessment=assessment, item__code="A2.4").update(level=0)
    client.force_login(officer)
    html = client.get(reverse("assessment:results", args=[assessment.pk])).content.decode()
    action5 = text_of_html(html[html.index('id="action-5"') : html.index('id="action-6"')])
    assert "A2.4" in action5
    assert "A question of Action 2: it also counts towards this Action, with weight 0.5." in action5
    action2 = text_of_html(html[html.index('id="action-2"') : html.index('id="action-3"')])
    assert "A2.4" in action2 and "A question of Action" not in action2


def text_of_html(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
