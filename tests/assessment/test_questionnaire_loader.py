"""The questionnaire is versioned data: loading is idempotent, published versions never change."""

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.urls import reverse

from assessment.cycles import start_assessment
from assessment.models import Assessment, Item, Questionnaire, Section
from assessment.questionnaire.loader import (
    CURRENT_QUESTIONNAIRE_FILE,
    QuestionnaireError,
    load_questionnaire,
)
from tests.factories import AssessmentFactory

pytestmark = pytest.mark.django_db


def definition() -> dict:
    with open(CURRENT_QUESTIONNAIRE_FILE, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def write(tmp_path, data: dict, name: str = "questionnaire.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def snapshot() -> dict:
    return {
        "questionnaires": list(Questionnaire.objects.values().order_by("pk")),
        "sections": list(Section.objects.values().order_by("pk")),
        "items": list(Item.objects.values().order_by("pk")),
    }


def test_the_current_file_has_six_sections_and_at_least_seven_items_each(content):
    assert content.sections.count() == 6
    per_section = [s.items.count() for s in content.sections.all()]
    assert min(per_section) >= 7 and sum(per_section) >= 42
    types = set(content.items.values_list("answer_type", flat=True))
    assert types == {"maturity", "yes_no", "number"}


def test_loading_the_same_file_twice_changes_nothing(content, capsys):
    before = snapshot()
    call_command("load_questionnaire")
    call_command("load_questionnaire")
    assert snapshot() == before
    assert "Already loaded, unchanged: questionnaire 2024.1" in capsys.readouterr().out


def test_the_same_definition_reformatted_is_still_the_same_version(content, tmp_path):
    before = snapshot()
    result = load_questionnaire(write(tmp_path, definition()))
    assert result.created is False
    assert snapshot() == before


def test_a_changed_file_under_a_published_version_is_refused_with_a_clear_error(content, tmp_path):
    changed = definition()
    changed["sections"][0]["items"][0]["question"] = "A quietly edited question?"
    path = write(tmp_path, changed)
    before = snapshot()
    with pytest.raises(CommandError) as error:
        call_command("load_questionnaire", str(path))
    message = str(error.value)
    assert "2024.1 is already published" in message
    assert "give the edited file a new version" in message
    assert snapshot() == before


def test_a_new_version_becomes_current_and_assessments_stay_pinned_to_theirs(
    content, tmp_path, authority, officer, client
):
    old = AssessmentFactory(authority=authority, cycle=2025)
    edited = definition()
    edited["version"] = "2025.1"
    edited["sections"][0]["items"][1]["question"] = "How good are your district-level data?"
    call_command("load_questionnaire", str(write(tmp_path, edited)))

    new_version = Questionnaire.objects.get(is_current=True)
    assert new_version.version == "2025.1"
    old.refresh_from_db()
    assert old.questionnaire.version == "2024.1"
    client.force_login(officer)
    old_page = client.get(reverse("assessment:section", args=[old.pk, 1])).content.decode()
    assert "How complete and up to date" in old_page
    assert "How good are your district-level data?" not in old_page

    started = start_assessment(authority=authority, by=officer, cycle=2026).assessment
    assert started.questionnaire == new_version
    new_page = client.get(reverse("assessment:section", args=[started.pk, 1])).content.decode()
    assert "How good are your district-level data?" in new_page


def test_not_current_loads_a_version_without_switching_new_assessments_to_it(content, tmp_path):
    edited = definition()
    edited["version"] = "2030.1"
    call_command("load_questionnaire", str(write(tmp_path, edited)), "--not-current")
    assert Questionnaire.objects.get(is_current=True).version == "2024.1"
    assert Questionnaire.objects.filter(version="2030.1").exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["sections"][0]["items"][0].update(type="essay"), "unknown answer type"),
        (lambda d: d["sections"][0]["items"][0].update(dimension="vibes"), "unknown dimension"),
        (lambda d: d["sections"][0]["items"][1].update(code="A1.1"), "codes must be unique"),
        (lambda d: d["sections"][0]["items"][0].update(weights={1: 0.5}), "weights need"),
        (lambda d: d["sections"][0]["items"][1]["levels"].pop(4), "describes levels 0 to 4"),
    ],
)
def test_an_invalid_file_is_refused_with_the_item_named(content, tmp_path, change, message):
    broken = definition()
    broken["version"] = "2031.1"
    change(broken)
    with pytest.raises(QuestionnaireError, match=message):
        load_questionnaire(write(tmp_path, broken))
    assert not Questionnaire.objects.filter(version="2031.1").exists()


def test_an_assessment_keeps_its_version_when_a_newer_one_is_loaded(content, tmp_path, authority):
    assessment = AssessmentFactory(authority=authority, complete=True)
    answers_before = assessment.answers.count()
    edited = definition()
    edited["version"] = "2025.1"
    load_questionnaire(write(tmp_path, edited))
    assessment = Assessment.objects.get(pk=assessment.pk)
    assert assessment.questionnaire.version == "2024.1"
    assert assessment.answers.count() == answers_before
    assert set(assessment.answers.values_list("item__questionnaire__version", flat=True)) == {
        "2024.1"
    }
