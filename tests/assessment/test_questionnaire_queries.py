"""Query counts do not grow with the questionnaire: the same bound at 8 and 30 items a section."""

import pytest
import yaml
from django.urls import reverse

from assessment.models import Answer, Assessment, Item
from assessment.questionnaire.loader import load_questionnaire
from tests.factories import AssessmentFactory, answer_form_data, fill

pytestmark = pytest.mark.django_db

SECTION_PAGE = 13
SAVE = 14
AUTOSAVE = 19
OVERVIEW = 13
DASHBOARD = 10


def large_definition(per_section: int) -> dict:
    """A generated questionnaire with `per_section` items of every type in each section."""
    sections = []
    for action in range(1, 7):
        items = []
        for n in range(1, per_section + 1):
            kind = ("maturity", "yes_no", "number")[n % 3]
            item = {
                "code": f"A{action}.{n}",
                "question": f"Generated question {n} of Action {action}?",
                "help": "Generated help text.",
                "type": kind,
                "allow_na": n % 5 == 0,
                "dimension": "urban_security",
                "weights": {action: 1.0},
                "guidance": "Generated guidance.",
            }
            if kind == "maturity":
                item["levels"] = {level: f"Descriptor of level {level}." for level in range(5)}
            elif kind == "number":
                item.update(unit="%", min=0, max=100, bands=[10, 25, 50, 75])
            items.append(item)
        sections.append({"action": action, "intro": f"Section {action}.", "items": items})
    return {"version": f"generated-{per_section}", "title": "Generated", "sections": sections}


@pytest.fixture(params=["small", "large"])
def sized(request, content, authority, tmp_path):
    """A draft two thirds answered, on the real questionnaire (8 a section) or a 30-item one."""
    if request.param == "small":
        questionnaire = content
    else:
        path = tmp_path / "large.yaml"
        path.write_text(yaml.safe_dump(large_definition(30)), encoding="utf-8")
        questionnaire = load_questionnaire(path, make_current=False).questionnaire
    assessment = AssessmentFactory(authority=authority, questionnaire=questionnaire)
    items = list(Item.objects.filter(questionnaire=questionnaire).order_by("position"))
    fill(assessment, level=2, items=items[: len(items) * 2 // 3])
    return assessment


def section_items(assessment: Assessment, action: int) -> list[Item]:
    return list(
        Item.objects.filter(
            questionnaire=assessment.questionnaire, section__action__number=action
        ).order_by("position")
    )


def changed_section(assessment: Assessment, action: int) -> dict[str, str]:
    """The whole section form with every answer changed, as a browser would post it."""
    data = {}
    for item in section_items(assessment, action):
        value = {"maturity": {"level": "4"}, "yes_no": {"yes": "yes"}}.get(
            item.answer_type, {"number": str(item.max_value)}
        )
        data.update(answer_form_data(assessment, item, evidence_note="Changed.", **value))
    return data


def test_section_page_queries_do_not_grow(client, officer, sized, django_assert_max_num_queries):
    client.force_login(officer)
    ItemComment = sized.item_comments.model
    for item in section_items(sized, 1)[:3]:
        ItemComment.objects.create(assessment=sized, item=item, text="Check this.")
    url = reverse("assessment:section", args=[sized.pk, 1])
    client.get(url)
    with django_assert_max_num_queries(SECTION_PAGE):
        response = client.get(url)
    assert response.status_code == 200


def test_saving_a_whole_section_queries_do_not_grow(
    client, officer, sized, django_assert_max_num_queries
):
    client.force_login(officer)
    data = changed_section(sized, 1)
    count = len(section_items(sized, 1))
    with django_assert_max_num_queries(SAVE):
        response = client.post(reverse("assessment:save", args=[sized.pk, 1]), data)
    assert response.status_code == 302
    saved = Answer.objects.filter(
        assessment=sized, item__section__action__number=1, evidence_note="Changed."
    )
    assert saved.count() == count


def test_an_autosave_queries_do_not_grow(client, officer, sized, django_assert_max_num_queries):
    client.force_login(officer)
    item = section_items(sized, 1)[-1]
    value = {"maturity": {"level": "1"}, "yes_no": {"yes": "no"}}.get(
        item.answer_type, {"number": str(item.min_value)}
    )
    data = answer_form_data(sized, item, **value)
    with django_assert_max_num_queries(AUTOSAVE):
        response = client.post(
            reverse("assessment:save", args=[sized.pk, 1]), data, headers={"HX-Request": "true"}
        )
    assert response.status_code == 200 and "Saved at" in response.content.decode()


def test_overview_queries_do_not_grow(client, officer, sized, django_assert_max_num_queries):
    client.force_login(officer)
    with django_assert_max_num_queries(OVERVIEW):
        assert client.get(reverse("assessment:overview", args=[sized.pk])).status_code == 200


@pytest.mark.parametrize("cycles", [1, 8])
def test_dashboard_queries_do_not_grow_with_cycles(
    client, officer, authority, content, cycles, django_assert_max_num_queries
):
    for cycle in range(2010, 2010 + cycles):
        assessment = AssessmentFactory(authority=authority, cycle=cycle)
        fill(assessment, items=Item.objects.filter(questionnaire=content)[: cycle - 2005])
    client.force_login(officer)
    with django_assert_max_num_queries(DASHBOARD):
        assert client.get(reverse("assessment:dashboard")).status_code == 200
