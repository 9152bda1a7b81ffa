"""The officer's dashboard and starting a cycle: one assessment per authority and cycle."""

import pytest
import yaml
from django.urls import reverse

from assessment.cycles import copy_answers, current_cycle, start_assessment
from assessment.models import Answer, Assessment, Item, Questionnaire
from assessment.questionnaire.loader import CURRENT_QUESTIONNAIRE_FILE, load_questionnaire
from tests.factories import AssessmentFactory, fill

pytestmark = pytest.mark.django_db


def start(client, authority, copy=""):
    return client.post(
        reverse("assessment:start"), {"authority": authority.pk, "copy_previous": copy}
    )


def test_dashboard_lists_the_authority_assessments_by_cycle_with_status_and_progress(
    client, officer, authority, other_authority, content
):
    now = current_cycle()
    AssessmentFactory(authority=authority, cycle=now - 1, submitted=True)
    draft = AssessmentFactory(authority=authority, cycle=now)
    fill(draft, items=Item.objects.filter(questionnaire=draft.questionnaire)[:10])
    AssessmentFactory(authority=other_authority, cycle=now)
    client.force_login(officer)
    html = client.get(reverse("assessment:dashboard")).content.decode()
    assert html.count("<h1") == 1
    assert "Mechelen" in html and "Riga" not in html
    assert html.index(f">{now}<") < html.index(f">{now - 1}<")  # newest first
    assert "10 of 46 answered (22%)" in html
    assert "46 of 46 answered (100%)" in html
    assert "Submitted" in html and "Draft" in html
    assert "Start the" not in html  # the current cycle exists


def test_dashboard_offers_to_start_the_current_cycle_from_last_cycle_answers(
    client, officer, authority, content
):
    AssessmentFactory(authority=authority, cycle=current_cycle() - 1, submitted=True)
    client.force_login(officer)
    html = client.get(reverse("assessment:dashboard")).content.decode()
    assert f"Start the {current_cycle()} self-assessment" in html
    assert f"Start from the {current_cycle() - 1} answers" in html
    assert "Start with an empty questionnaire" in html


def test_a_user_without_an_authority_is_told_what_to_do(client, user_without_authority):
    client.force_login(user_without_authority)
    html = client.get(reverse("assessment:dashboard")).content.decode()
    assert "not linked to an urban authority" in html


def test_coordinators_are_sent_to_their_own_dashboard(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("assessment:dashboard"))
    assert response.url == reverse("assessment:coordinator_dashboard")


def test_starting_creates_one_assessment_on_the_current_version(
    client, officer, authority, content
):
    client.force_login(officer)
    response = start(client, authority)
    assessment = Assessment.objects.get(authority=authority)
    assert response.url == reverse("assessment:overview", args=[assessment.pk])
    assert assessment.cycle == current_cycle()
    assert assessment.questionnaire == Questionnaire.objects.get(is_current=True)
    assert assessment.created_by == officer and assessment.status == "draft"
    assert "has started" in client.get(response.url).content.decode()


def test_a_second_start_shows_the_existing_assessment_and_never_a_duplicate(
    client, officer, colleague, authority, content
):
    client.force_login(officer)
    first = start(client, authority)
    client.force_login(colleague)
    second = start(client, authority, copy="1")
    assert first.url == second.url
    assert Assessment.objects.filter(authority=authority).count() == 1
    assert "already exists: here it is" in client.get(second.url).content.decode()


def test_starting_from_last_cycle_copies_its_answers(client, officer, authority, content):
    previous = AssessmentFactory(authority=authority, cycle=current_cycle() - 1, approved=True)
    Answer.objects.filter(assessment=previous, item__code="A1.2").update(
        evidence_note="Data-sharing protocol 2024.", evidence_url="https://example.org/p"
    )
    client.force_login(officer)
    response = start(client, authority, copy="1")
    new = Assessment.objects.get(authority=authority, cycle=current_cycle())
    assert new.copied_from == previous
    assert new.answers.count() == previous.answers.count() == 46
    copied = new.answers.get(item__code="A1.2")
    assert (copied.level, copied.evidence_note, copied.evidence_url) == (
        3,
        "Data-sharing protocol 2024.",
        "https://example.org/p",
    )
    assert copied.updated_by == officer and copied.version == 1
    assert previous.answers.get(item__code="A1.2").level == 3  # the source is untouched
    assert "46 answers copied from the previous cycle" in client.get(response.url).content.decode()


def test_starting_empty_copies_nothing(client, officer, authority, content):
    AssessmentFactory(authority=authority, cycle=current_cycle() - 1, approved=True)
    client.force_login(officer)
    start(client, authority, copy="")
    new = Assessment.objects.get(authority=authority, cycle=current_cycle())
    assert new.copied_from is None and new.answers.count() == 0


def test_copying_across_versions_skips_items_whose_answer_type_changed(
    content, authority, officer, tmp_path
):
    AssessmentFactory(authority=authority, cycle=2025, complete=True)
    with open(CURRENT_QUESTIONNAIRE_FILE, encoding="utf-8") as handle:
        definition = yaml.safe_load(handle)
    definition["version"] = "2026.1"
    a12 = definition["sections"][0]["items"][1]
    a12.update(type="yes_no")
    a12.pop("levels")
    path = tmp_path / "2026.yaml"
    path.write_text(yaml.safe_dump(definition), encoding="utf-8")
    load_questionnaire(path)
    result = start_assessment(authority=authority, by=officer, copy_previous=True, cycle=2026)
    assert result.assessment.questionnaire.version == "2026.1"
    assert result.copied == 45
    codes = set(result.assessment.answers.values_list("item__code", flat=True))
    assert "A1.2" not in codes and "A1.3" in codes
    assert set(
        result.assessment.answers.values_list("item__questionnaire__version", flat=True)
    ) == {"2026.1"}


def test_copy_answers_returns_how_many_were_copied(content, authority, officer):
    source = AssessmentFactory(authority=authority, cycle=2024, complete=True)
    target = AssessmentFactory(authority=authority, cycle=2025)
    assert copy_answers(source=source, target=target, by=officer) == 46


def test_an_officer_cannot_start_for_another_authority(client, officer, other_authority, content):
    client.force_login(officer)
    assert start(client, other_authority).status_code == 404
    assert client.post(reverse("assessment:start"), {"authority": "x"}).status_code == 404
    assert not Assessment.objects.exists()
