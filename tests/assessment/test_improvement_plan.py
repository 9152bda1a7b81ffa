"""The improvement plan through the client: targets, validation, conflicts, access, history,
the what-if, next cycle's statuses, results.json and the coordinators' counts."""

import csv
import io

import pytest
from django.urls import reverse

from assessment.models import (
    Answer,
    AnswerType,
    Assessment,
    AssessmentEvent,
    Item,
    PlanTarget,
    Questionnaire,
    Section,
)
from assessment.plans import Progress
from tests.factories import (
    AssessmentFactory,
    MembershipFactory,
    UrbanAuthorityFactory,
    answer_form_data,
    approved_peer,
    fill,
    plan_target,
    target_form_data,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(content, authority):
    """This cycle's draft of Mechelen, every item answered at level 3 (some numbers, yes/no)."""
    return AssessmentFactory(authority=authority, cycle=2026, complete=True)


def item(assessment: Assessment, code: str) -> Item:
    return Item.objects.get(questionnaire=assessment.questionnaire, code=code)


def first_of_type(assessment: Assessment, answer_type: str) -> Item:
    return (
        Item.objects.filter(questionnaire=assessment.questionnaire, answer_type=answer_type)
        .order_by("position")
        .first()
    )


def item_of_another_version(version: str, code: str) -> Item:
    """A maturity item of Action 1 in another questionnaire version than the current one."""
    from actions.models import Action

    other = Questionnaire.objects.create(version=version, title=version, source_hash=version)
    section = Section.objects.create(
        questionnaire=other, action=Action.objects.get(number=1), position=1
    )
    return Item.objects.create(
        questionnaire=other,
        section=section,
        code=code,
        position=1,
        question=f"An item of version {version}",
        answer_type=AnswerType.MATURITY,
        dimension="urban_security",
        weights={"1": 1.0},
    )


def plan_url(assessment: Assessment) -> str:
    return reverse("assessment:plan", args=[assessment.pk])


def save_url(assessment: Assessment) -> str:
    return reverse("assessment:plan_save", args=[assessment.pk])


def preview_url(assessment: Assessment) -> str:
    return reverse("assessment:plan_preview", args=[assessment.pk])


def stored(assessment: Assessment, code: str) -> PlanTarget | None:
    return PlanTarget.objects.filter(plan__assessment=assessment, item__code=code).first()


# --- Setting targets -------------------------------------------------------------------------


def test_an_officer_sets_a_target_and_it_is_in_the_history(client, officer, draft):
    client.force_login(officer)
    data = target_form_data(draft, item(draft, "A1.2"), level="4", owner="Data office")
    response = client.post(save_url(draft), data)
    assert response.status_code == 302
    target = stored(draft, "A1.2")
    assert (target.level, target.target_cycle, target.owner) == (4, 2027, "Data office")
    event = AssessmentEvent.objects.get(assessment=draft, kind=AssessmentEvent.Kind.PLAN)
    assert event.actor == officer
    assert event.plan_changes == [{"code": "A1.2", "change": "added"}]
    history = client.get(reverse("assessment:overview", args=[draft.pk])).content.decode()
    assert "Improvement plan changed" in history
    assert "target added: A1.2" in history


def test_the_plan_page_offers_the_improve_first_items_and_any_other_item(client, officer, draft):
    Answer.objects.filter(assessment=draft, item__code="A3.2").update(level=0)
    client.force_login(officer)
    page = client.get(plan_url(draft)).content.decode()
    assert 'name="plan-A3_2-level"' in page  # improve first: the weakest of Action 3
    assert 'name="plan-A1_8-level"' not in page
    added = client.get(plan_url(draft), {"add": "A1.8"}).content.decode()
    assert 'name="plan-A1_8-level"' in added


def test_yes_no_and_number_targets_are_saved(client, officer, draft):
    yes_no = first_of_type(draft, AnswerType.YES_NO)
    number = first_of_type(draft, AnswerType.NUMBER)
    Answer.objects.filter(assessment=draft, item=yes_no).update(yes=False)
    better = number.bands[3] if number.higher_is_better else number.bands[3]
    client.force_login(officer)
    data = {
        **target_form_data(draft, yes_no, yes="on"),
        **target_form_data(draft, number, number=str(better)),
    }
    assert client.post(save_url(draft), data).status_code == 302
    assert stored(draft, yes_no.code).yes is True
    assert float(stored(draft, number.code).number) == float(better)


def test_removing_a_target_takes_it_out_of_the_plan_and_logs_it(client, officer, draft):
    plan_target(draft, "A1.2", level=4, by=officer)
    client.force_login(officer)
    response = client.post(
        save_url(draft), target_form_data(draft, item(draft, "A1.2"), remove="on")
    )
    assert response.status_code == 302
    assert not PlanTarget.objects.in_plan().filter(plan__assessment=draft).exists()
    event = AssessmentEvent.objects.get(assessment=draft, kind=AssessmentEvent.Kind.PLAN)
    assert event.plan_changes == [{"code": "A1.2", "change": "removed"}]


# --- Validation: clear messages, nothing lost -------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"level": "3"}, "already level 3: choose a higher target level"),
        ({"level": "2"}, "already level 3: choose a higher target level"),
        ({"level": "7"}, "Choose one of the levels 1 to 4."),
        ({"level": "4", "target_cycle": "2025"}, "not one in the past"),
        ({"level": "4", "target_cycle": "2099"}, "Choose a target cycle from 2027 to 2037"),
        ({"level": "4", "target_cycle": "soon"}, "Enter the target cycle as a year"),
        ({"level": "", "owner": "Mobility"}, "Set a target for this item"),
    ],
)
def test_a_refused_target_says_why_and_keeps_what_was_typed(
    client, officer, draft, changes, message
):
    plan_target(draft, "A1.3", level=4, owner="Kept team", by=officer)
    client.force_login(officer)
    data = {
        **target_form_data(draft, item(draft, "A1.2"), **{"owner": "Typed owner", **changes}),
        **target_form_data(draft, item(draft, "A1.5"), level="4"),
    }
    response = client.post(save_url(draft), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert changes.get("owner", "Typed owner") in page  # what was typed comes back
    assert stored(draft, "A1.2") is None or not stored(draft, "A1.2").in_plan
    assert stored(draft, "A1.3").owner == "Kept team"  # nothing already saved is lost
    assert stored(draft, "A1.5").level == 4  # the valid row of the same post is saved


def test_a_number_target_outside_the_item_range_or_worse_than_today_is_refused(
    client, officer, draft
):
    number = first_of_type(draft, AnswerType.NUMBER)
    today = Answer.objects.get(assessment=draft, item=number).number
    worse = today - 1 if number.higher_is_better else today + 1
    client.force_login(officer)
    for value, message in (
        (str(number.max_value + 1), "Enter a number from"),
        ("abc", "Enter a number"),
        (str(worse), "choose a better target"),
    ):
        response = client.post(save_url(draft), target_form_data(draft, number, number=value))
        assert response.status_code == 200
        assert message in response.content.decode()
    assert stored(draft, number.code) is None


def test_a_forged_version_is_refused_as_out_of_date(client, officer, draft):
    client.force_login(officer)
    data = target_form_data(draft, item(draft, "A1.2"), level="4")
    data["plan-A1_2-version"] = "-3"
    response = client.post(save_url(draft), data)
    assert response.status_code == 200
    assert "out of date" in response.content.decode()
    assert stored(draft, "A1.2") is None


# --- No lost update ---------------------------------------------------------------------------


def test_a_colleagues_newer_target_is_shown_and_not_overwritten(client, officer, colleague, draft):
    row = item(draft, "A1.2")
    mine = target_form_data(draft, row, level="4", owner="Officer's team")
    theirs = target_form_data(draft, row, level="4", owner="Colleague's team")
    client.force_login(colleague)
    assert client.post(save_url(draft), theirs).status_code == 302
    client.force_login(officer)
    response = client.post(save_url(draft), mine)
    assert response.status_code == 200
    page = response.content.decode()
    assert "after you opened the page" in page
    assert "Colleague&#x27;s team" in page  # theirs, shown
    assert "Officer&#x27;s team" in page  # mine, kept in the form
    assert stored(draft, "A1.2").owner == "Colleague's team"
    # Keeping mine, knowingly, saves it.
    resolved = target_form_data(draft, row, level="4", owner="Officer's team")
    resolved["plan-A1_2-conflict"] = "True"
    resolved["plan-A1_2-loaded"] = mine["plan-A1_2-loaded"]
    resolved["plan-A1_2-resolve"] = "mine"
    assert client.post(save_url(draft), resolved).status_code == 302
    assert stored(draft, "A1.2").owner == "Officer's team"


def test_an_untouched_row_never_overwrites_a_colleagues_change(client, officer, colleague, draft):
    row = item(draft, "A1.2")
    plan_target(draft, "A1.2", level=4, owner="First", by=officer)
    untouched = target_form_data(draft, row)
    target = stored(draft, "A1.2")
    target.owner, target.version = "Colleague", target.version + 1
    target.save()
    client.force_login(officer)
    assert client.post(save_url(draft), untouched).status_code == 302
    assert stored(draft, "A1.2").owner == "Colleague"


# --- Status: the plan changes after approval, answers do not ---------------------------------


def test_an_approved_assessments_plan_is_editable_but_its_answers_stay_frozen(
    client, officer, content, authority
):
    approved = AssessmentFactory(authority=authority, cycle=2025, approved=True)
    frozen = approved.approved_scores
    client.force_login(officer)
    response = client.post(
        save_url(approved), target_form_data(approved, item(approved, "A1.2"), level="4")
    )
    assert response.status_code == 302
    assert stored(approved, "A1.2").level == 4
    answer_post = answer_form_data(approved, item(approved, "A1.2"), level="0")
    client.post(reverse("assessment:save", args=[approved.pk, 1]), answer_post)
    assert Answer.objects.get(assessment=approved, item__code="A1.2").level == 3
    approved.refresh_from_db()
    assert approved.approved_scores == frozen
    data = client.get(reverse("assessment:results_json", args=[approved.pk])).json()
    what_if = data["improvement_plan"]["what_if"]
    assert what_if["overall"]["today"] == frozen["overall"]
    assert what_if["actions"]["1"]["today"] == frozen["actions"]["1"]["score"]
    assert what_if["actions"]["1"]["planned"] > what_if["actions"]["1"]["today"]


# --- Access ----------------------------------------------------------------------------------


def test_another_citys_officer_gets_404_and_changes_nothing(client, other_city_officer, draft):
    client.force_login(other_city_officer)
    data = target_form_data(draft, item(draft, "A1.2"), level="4")
    assert client.get(plan_url(draft)).status_code == 404
    assert client.post(save_url(draft), data).status_code == 404
    assert client.post(preview_url(draft), data).status_code == 404
    assert not PlanTarget.objects.exists()


def test_a_coordinator_reads_the_plan_but_cannot_change_it(client, coordinator, officer, draft):
    plan_target(draft, "A1.2", level=4, owner="Data office", by=officer)
    client.force_login(coordinator)
    page = client.get(plan_url(draft)).content.decode()
    assert "Data office" in page
    assert f'action="{save_url(draft)}"' not in page
    data = target_form_data(draft, item(draft, "A1.2"), level="4", owner="Coordinator")
    assert client.post(save_url(draft), data).status_code == 403
    assert stored(draft, "A1.2").owner == "Data office"


def test_a_row_for_an_item_of_another_questionnaire_is_ignored(client, officer, draft):
    foreign = item_of_another_version("2099.1", "A1.99")
    client.force_login(officer)
    client.post(save_url(draft), target_form_data(draft, foreign, level="4"))
    assert not PlanTarget.objects.filter(item=foreign).exists()


# --- What-if ---------------------------------------------------------------------------------


def test_the_preview_computes_the_what_if_and_saves_nothing(client, officer, draft):
    client.force_login(officer)
    data = target_form_data(draft, item(draft, "A1.2"), level="4")
    response = client.post(preview_url(draft), data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "not saved yet" in page
    assert "<h1" not in page  # a fragment for htmx
    assert not PlanTarget.objects.exists()
    assert not AssessmentEvent.objects.filter(kind=AssessmentEvent.Kind.PLAN).exists()


def test_the_what_if_places_the_planned_score_among_the_peers(client, officer, draft):
    for n in range(6):
        approved_peer(score=10.0 * n + 50, country="FR")
    for code in ("A1.2", "A1.3", "A1.5"):
        plan_target(draft, code, level=4, by=officer)
    client.force_login(officer)
    data = client.get(reverse("assessment:results_json", args=[draft.pk])).json()
    action = data["improvement_plan"]["what_if"]["actions"]["1"]
    everyone = action["percentiles"]["all"]
    assert action["planned"] > action["today"]
    assert everyone["suppressed"] is False
    assert everyone["planned"] >= everyone["today"]
    assert action["percentiles"]["country"] == {
        "suppressed": True,
        "today": None,
        "planned": None,
    }


# --- results.json ----------------------------------------------------------------------------


def test_results_json_carries_the_targets_and_the_what_if(client, officer, draft):
    plan_target(draft, "A1.2", level=4, owner="Data office", note="By spring", by=officer)
    client.force_login(officer)
    plan = client.get(reverse("assessment:results_json", args=[draft.pk])).json()[
        "improvement_plan"
    ]
    assert plan["targets"] == [
        {
            "code": "A1.2",
            "today": plan["targets"][0]["today"],
            "target": plan["targets"][0]["target"],
            "target_level": 4,
            "target_yes": None,
            "target_value": None,
            "target_cycle": 2027,
            "owner": "Data office",
            "note": "By spring",
        }
    ]
    assert plan["targets"][0]["target"].startswith("Level 4 of 4")
    assert set(plan["what_if"]["actions"]) == {"1", "2", "3", "4", "5", "6"}
    assert plan["last_cycle"] is None


# --- Next cycle ------------------------------------------------------------------------------


def test_last_cycles_plan_is_shown_against_this_cycles_answers(client, officer, content, authority):
    before = AssessmentFactory(authority=authority, cycle=2025)
    fill(before, level=1)
    now = AssessmentFactory(authority=authority, cycle=2026)
    fill(now, level=1)
    Answer.objects.filter(assessment=now, item__code="A1.2").update(level=3)  # reached
    Answer.objects.filter(assessment=now, item__code="A1.3").update(level=2)  # partly
    plan_target(before, "A1.2", level=3)
    plan_target(before, "A1.3", level=4)
    plan_target(before, "A1.5", level=3)  # still at 1: not yet
    gone = item_of_another_version("2020.1", "A1.99")  # dropped by today's version
    PlanTarget.objects.create(plan=before.plan, item=gone, level=2, target_cycle=2026)
    client.force_login(officer)
    data = client.get(reverse("assessment:results_json", args=[now.pk])).json()
    last = data["improvement_plan"]["last_cycle"]
    progress = {row["code"]: row["progress"] for row in last["targets"]}
    assert last["cycle"] == 2025
    assert progress == {
        "A1.2": Progress.REACHED,
        "A1.3": Progress.PARTLY,
        "A1.5": Progress.NOT_YET,
        "A1.99": Progress.NO_LONGER_ASKED,
    }
    assert last["counts"] == {"reached": 1, "partly": 1, "not_yet": 1, "no_longer_asked": 1}
    for url in (plan_url(now), reverse("assessment:results", args=[now.pk])):
        page = client.get(url).content.decode()
        for words in ("target reached", "partly: moved towards the target", "not yet"):
            assert words in page
        assert "item no longer asked" in page


# --- Query counts ----------------------------------------------------------------------------

# The results' queries (session, user, role, access, items, answers, Actions, peer-data
# version, peer table, previous cycle and its answers and spec, the plan targets of both
# cycles, the answers behind last cycle's targets), the planned scores' peer-data version:
# the same for 2 rows or 12.
PLAN_PAGE_QUERIES = 19


@pytest.mark.parametrize("rows", [2, 12])
def test_the_plan_page_takes_a_constant_number_of_queries(
    client, officer, draft, rows, django_assert_max_num_queries
):
    before = AssessmentFactory(authority=draft.authority, cycle=2025)
    fill(before, level=2)
    codes = list(
        Item.objects.filter(questionnaire=draft.questionnaire, answer_type=AnswerType.MATURITY)
        .order_by("position")
        .values_list("code", flat=True)[:rows]
    )
    for code in codes:
        plan_target(draft, code, level=4, by=officer)
        plan_target(before, code, level=3, by=officer)
    client.force_login(officer)
    with django_assert_max_num_queries(PLAN_PAGE_QUERIES):
        assert client.get(plan_url(draft)).status_code == 200


# --- Coordinators' counts --------------------------------------------------------------------


def plan_in_a_new_city(content, codes: list[str], cycle: int = 2026) -> Assessment:
    assessment = AssessmentFactory(authority=UrbanAuthorityFactory(), cycle=cycle, complete=True)
    for code in codes:
        plan_target(assessment, code, level=4)
    return assessment


def test_coordinators_count_authorities_per_action_and_item_with_small_counts_withheld(
    client, coordinator, content
):
    for _ in range(5):
        plan_in_a_new_city(content, ["A1.2", "A1.3"])
    for _ in range(3):
        plan_in_a_new_city(content, ["A2.1"])
    client.force_login(coordinator)
    page = client.get(reverse("assessment:coordinator_plans")).content.decode()
    assert "fewer than 5" in page
    response = client.get(reverse("assessment:export_plans"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode()[1:])))
    header, rows = rows[0], rows[1:]
    counts = {(row[1], row[2]): row[4] for row in rows}
    withheld = {(row[1], row[2]): row[5] for row in rows}
    assert counts[("1", "")] == "5"
    assert counts[("1", "A1.2")] == "5"
    assert counts[("2", "")] == "" and withheld[("2", "")] == "yes"
    assert counts[("2", "A2.1")] == "" and withheld[("2", "A2.1")] == "yes"
    assert counts[("3", "")] == "0"
    assert header[4] == "Authorities"
    # No authority is named anywhere on the page or in the file.
    names = Assessment.objects.values_list("authority__name", flat=True)
    assert not any(name in page for name in names)


def test_an_officer_cannot_see_the_field_counts(client, officer, content):
    client.force_login(officer)
    assert client.get(reverse("assessment:coordinator_plans")).status_code == 403
    assert client.get(reverse("assessment:export_plans")).status_code == 403


@pytest.mark.parametrize("cities", [5, 15])
def test_the_coordinator_page_takes_a_constant_number_of_queries(
    client, coordinator, content, cities, django_assert_max_num_queries
):
    for n in range(cities):
        plan_in_a_new_city(content, ["A1.2", "A3.2", "A5.1"][: 1 + n % 3])
    client.force_login(coordinator)
    # Session, user, role, the plan cycles, the authorities, per Action, per item, the titles.
    with django_assert_max_num_queries(11):
        assert client.get(reverse("assessment:coordinator_plans")).status_code == 200


def test_colleague_fixture_is_an_officer_of_the_same_city(colleague, officer):
    assert MembershipFactory._meta.model.objects.filter(user=colleague).first().authority_id == (
        MembershipFactory._meta.model.objects.filter(user=officer).first().authority_id
    )


# --- The report ------------------------------------------------------------------------------


def test_a_plan_change_makes_the_stored_report_stale_and_changes_its_content(
    client, officer, draft
):
    from assessment import report

    fingerprint = report.fingerprint(draft, language="en")
    content = report.report_for(draft, language="en").hash
    client.force_login(officer)
    data = target_form_data(draft, item(draft, "A1.2"), level="4", owner="Data office")
    assert client.post(save_url(draft), data).status_code == 302
    assert report.fingerprint(draft, language="en") != fingerprint
    changed = report.report_for(draft, language="en")
    assert changed.hash != content
    assert changed.data["improvement_plan"]["targets"][0]["owner"] == "Data office"
    # A change of the owner alone (same target) is a change too.
    data = target_form_data(draft, item(draft, "A1.2"), owner="Statistics office")
    assert client.post(save_url(draft), data).status_code == 302
    assert report.report_for(draft, language="en").hash != changed.hash
