"""The results page and its JSON: content, explanations, access, privacy and query counts."""

import json
import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from actions.models import Action
from assessment import charts
from assessment.benchmark import Stats
from assessment.models import Answer, Assessment, Item
from assessment.results import results_for, results_json
from tests.factories import AssessmentFactory, approved_peer, fill, frozen_scores, move_to

pytestmark = pytest.mark.usefixtures("content")

# Session, user, role check, access, items, answers, Actions, peer-data version (read from the
# database, never a stale cache), peer table, previous cycle and its answers and spec,
# navigation flag, session save, whether the user is the authority's officer and the peers to
# learn from, the improvement-plan targets of this cycle and the previous one (one query):
# the same for 6 peers or 30.
QUERY_BUDGET = 19


@pytest.fixture
def draft(authority):
    """Mechelen's 2026 draft with every item at the top level: 100.0 in every Action."""
    assessment = AssessmentFactory(authority=authority)
    fill(assessment, level=4)
    return assessment


def page_url(assessment: Assessment) -> str:
    return reverse("assessment:results", args=[assessment.pk])


def json_url(assessment: Assessment) -> str:
    return reverse("assessment:results_json", args=[assessment.pk])


def action_section(html: str, number: int) -> str:
    match = re.search(rf'<article id="action-{number}".*?</article>', html, re.S)
    assert match, f"no section for Action {number}"
    return match.group(0)


def get_json(client, assessment) -> dict:
    response = client.get(json_url(assessment))
    assert response.status_code == 200
    return response.json()


# --- What the officer sees ----------------------------------------------------------------


def test_officer_sees_the_six_actions_with_titles_scores_and_the_chart(client, officer, draft):
    client.force_login(officer)

    response = client.get(page_url(draft))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    for action in Action.objects.all():
        section = action_section(html, action.number)
        assert action.final_title in section
        assert "100.0" in section
        assert "Advanced" in section
    assert 'class="radar-chart" role="img"' in html
    assert "<desc" in html


def test_a_draft_is_marked_provisional(client, officer, draft):
    client.force_login(officer)

    html = client.get(page_url(draft)).content.decode()

    assert "Provisional: not yet submitted." in html
    assert get_json(client, draft)["provisional"] is True


def test_an_approved_assessment_shows_its_status_and_its_frozen_scores(client, officer, draft):
    move_to(draft, Assessment.Status.APPROVED)
    frozen = draft.approved_scores
    frozen["actions"]["2"]["score"] = 61.2
    Assessment.objects.filter(pk=draft.pk).update(approved_scores=frozen)
    client.force_login(officer)

    html = client.get(page_url(draft)).content.decode()
    data = get_json(client, draft)

    assert "Provisional" not in html
    assert "<strong>Approved</strong>" in html
    assert "61.2" in action_section(html, 2)
    assert data["status"] == "approved"
    assert data["provisional"] is False
    assert data["actions"][1]["score"] == 61.2


def test_an_action_without_an_applicable_answer_shows_no_score_not_zero(client, officer, authority):
    assessment = AssessmentFactory(authority=authority)
    items = [
        i
        for i in Item.objects.filter(questionnaire=assessment.questionnaire)
        if "6" not in i.weights
    ]
    fill(assessment, level=2, items=items)
    client.force_login(officer)

    section = action_section(client.get(page_url(assessment)).content.decode(), 6)
    action6 = get_json(client, assessment)["actions"][5]

    assert "no score" in section
    assert "0.0" not in section
    assert (action6["score"], action6["band"], action6["coverage"]) == (None, None, 0.0)


def test_an_assessment_without_answers_has_no_scores_anywhere(client, officer, authority):
    empty = AssessmentFactory(authority=authority)
    for n in range(5):
        approved_peer(score=20 * n)
    client.force_login(officer)

    response = client.get(page_url(empty))
    data = get_json(client, empty)

    assert response.status_code == 200
    assert response.content.decode().count("no score") >= 7  # overall + six Actions
    assert data["overall"]["score"] is None
    assert {a["score"] for a in data["actions"]} == {None}
    assert {a["benchmarks"]["all"]["percentile"] for a in data["actions"]} == {None}
    assert {a["benchmarks"]["all"]["median"] for a in data["actions"]} == {40.0}


def test_each_score_lists_the_answers_that_produced_it(client, officer, draft):
    item = Item.objects.get(questionnaire=draft.questionnaire, code="A1.2")
    client.force_login(officer)

    section = action_section(client.get(page_url(draft)).content.decode(), 1)
    details = re.search(r"<details class=\"score-explanation\">.*?</details>", section, re.S)

    assert details
    text = details.group(0)
    assert "A1.2" in text
    assert item.question.replace("'", "&#x27;") in text
    assert "Level 4 of 4: " in text
    assert "Score = 100 ×" in text


def test_not_applicable_and_unanswered_items_are_shown_as_not_counted(client, officer, authority):
    assessment = AssessmentFactory(authority=authority)
    item = Item.objects.filter(questionnaire=assessment.questionnaire, allow_na=True).first()
    Answer.objects.create(
        assessment=assessment, item=item, not_applicable=True, na_reason="We have no such system."
    )
    client.force_login(officer)

    html = client.get(page_url(assessment)).content.decode()

    assert "Not applicable" in html
    assert "Not answered" in html
    assert "not counted" in html


def test_improvement_items_come_with_their_guidance(client, officer, authority):
    assessment = AssessmentFactory(authority=authority)
    fill(assessment, level=1)
    client.force_login(officer)

    data = get_json(client, assessment)
    section = action_section(client.get(page_url(assessment)).content.decode(), 3)
    first = Item.objects.get(
        questionnaire=assessment.questionnaire, code=data["actions"][2]["improvements"][0]
    )

    assert len(data["actions"][2]["improvements"]) == 3
    assert first.guidance.replace("'", "&#x27;") in section
    assert data["actions"][2]["strengths"] == []


def test_change_since_the_previous_approved_cycle(client, officer, authority, draft):
    previous = AssessmentFactory(authority=authority, cycle=2025)
    fill(previous, level=0)
    move_to(previous, Assessment.Status.APPROVED)
    frozen = previous.approved_scores
    frozen["actions"]["1"]["score"] = 37.5
    Assessment.objects.filter(pk=previous.pk).update(approved_scores=frozen)
    client.force_login(officer)

    data = get_json(client, draft)
    html = client.get(page_url(draft)).content.decode()

    assert data["previous_cycle"]["cycle"] == 2025
    assert data["actions"][0]["previous_score"] == 37.5  # frozen, not recomputed
    assert data["actions"][0]["change"] == 62.5
    assert data["actions"][1]["change"] == 100.0
    assert "+62.5 since 2025" in action_section(html, 1)


def test_a_previous_cycle_not_approved_is_compared_by_its_live_score(client, officer, authority):
    previous = AssessmentFactory(authority=authority, cycle=2025)
    fill(previous, level=4)
    current = AssessmentFactory(authority=authority)
    fill(current, level=0)
    client.force_login(officer)

    data = get_json(client, current)
    html = client.get(page_url(current)).content.decode()

    assert data["previous_cycle"]["status"] == "draft"
    assert data["actions"][0]["previous_score"] == 100.0
    assert data["actions"][0]["change"] == -100.0
    assert "-100.0 since 2025" in action_section(html, 1)


# --- Peers --------------------------------------------------------------------------------


def test_three_peer_groups_with_the_small_country_group_suppressed(client, officer, draft):
    for n in range(6):
        approved_peer(score=40 + 5 * n, country="FR", population=100_000 + n)
    for _ in range(3):
        approved_peer(score=30, country="BE", population=1_500_000)
    client.force_login(officer)

    data = get_json(client, draft)
    html = client.get(page_url(draft)).content.decode()

    groups = {g["group"]: g for g in data["peer_groups"]}
    assert groups["all"]["n"] == 9
    assert groups["population_band"]["n"] == 6
    assert groups["country"] == {"group": "country", "value": "BE", "n": None, "suppressed": True}
    country = data["actions"][0]["benchmarks"]["country"]
    assert country["suppressed"] is True
    assert country["reason"] == "not enough peers to compare (n < 5)"
    assert country["median"] is None
    band = data["actions"][0]["benchmarks"]["population_band"]
    assert (band["n"], band["q1"], band["median"], band["q3"]) == (6, 46.2, 52.5, 58.8)
    assert band["percentile"] == 100.0
    assert "not enough peers to compare (n &lt; 5)" in action_section(html, 1)
    assert 'class="distribution" role="img"' in action_section(html, 1)


def test_peers_are_never_named(client, officer, draft):
    names = [approved_peer(score=50, name=f"Hidden city {n}").authority.name for n in range(6)]
    client.force_login(officer)

    body = client.get(page_url(draft)).content + client.get(json_url(draft)).content

    for name in names:
        assert name.encode() not in body


@pytest.mark.parametrize("peers", [6, 30])
def test_the_page_and_json_take_a_constant_number_of_queries(
    client, officer, draft, peers, django_assert_max_num_queries
):
    previous = AssessmentFactory(authority=draft.authority, cycle=2025)
    fill(previous, level=2)
    for n in range(peers):
        approved_peer(
            score=n * 3, country=("BE", "FR", "NL")[n % 3], population=40_000 + n * 20_000
        )
    client.force_login(officer)

    with django_assert_max_num_queries(QUERY_BUDGET):
        assert client.get(page_url(draft)).status_code == 200
    cache.clear()
    with django_assert_max_num_queries(QUERY_BUDGET):
        assert client.get(json_url(draft)).status_code == 200


# --- JSON ---------------------------------------------------------------------------------


def test_the_json_has_a_fixed_key_order_and_the_same_bytes_every_time(client, officer, draft):
    for n in range(5):
        approved_peer(score=20 * n)
    client.force_login(officer)

    first = client.get(json_url(draft))
    second = client.get(json_url(draft))
    data = first.json()

    assert first["Content-Type"] == "application/json"
    assert first.content == second.content
    assert list(data) == [
        "assessment",
        "authority",
        "cycle",
        "status",
        "provisional",
        "questionnaire_version",
        "scoring_version",
        "min_peers",
        "peer_groups",
        "overall",
        "actions",
        "previous_cycle",
        "improvement_plan",
    ]
    assert list(data["actions"][0]) == [
        "action",
        "title",
        "score",
        "band",
        "coverage",
        "previous_score",
        "change",
        "benchmarks",
        "strengths",
        "improvements",
        "items",
    ]
    assert list(data["actions"][0]["benchmarks"]) == ["all", "population_band", "country"]
    assert [a["action"] for a in data["actions"]] == [1, 2, 3, 4, 5, 6]
    assert data["questionnaire_version"] == "2024.1"
    assert data["scoring_version"] == "1.0"


def test_results_json_matches_the_scorecard(draft):
    data = results_json(
        results_for(
            Assessment.objects.select_related("authority", "questionnaire").get(pk=draft.pk)
        )
    )

    assert data["overall"] == {
        "score": 100.0,
        "band": "advanced",
        "change": None,
        "benchmarks": data["overall"]["benchmarks"],
    }
    assert json.loads(json.dumps(data)) == data


# --- Access -------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [page_url, json_url])
def test_a_colleague_and_a_coordinator_see_the_results(client, colleague, coordinator, draft, url):
    for user in (colleague, coordinator):
        client.force_login(user)
        assert client.get(url(draft)).status_code == 200


@pytest.mark.parametrize("url", [page_url, json_url])
def test_another_citys_officer_gets_404(client, other_city_officer, draft, url):
    client.force_login(other_city_officer)

    assert client.get(url(draft)).status_code == 404


@pytest.mark.parametrize("url", [page_url, json_url])
def test_a_user_without_authority_gets_404(client, user_without_authority, draft, url):
    client.force_login(user_without_authority)

    assert client.get(url(draft)).status_code == 404


@pytest.mark.parametrize("url", [page_url, json_url])
def test_anonymous_visitors_are_sent_to_log_in(client, draft, url):
    response = client.get(url(draft))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- Charts -------------------------------------------------------------------------------


def test_the_page_has_no_inline_styles_for_the_content_security_policy(client, officer, draft):
    for n in range(5):
        approved_peer(score=20 * n)
    client.force_login(officer)

    html = client.get(page_url(draft)).content.decode()

    assert "style=" not in html
    assert "<style" not in html


def test_the_radar_describes_itself_and_leaves_out_actions_without_a_score(authority):
    assessment = AssessmentFactory(authority=authority)
    items = [
        i
        for i in Item.objects.filter(questionnaire=assessment.questionnaire)
        if "6" not in i.weights
    ]
    fill(assessment, level=4, items=items)
    results = results_for(
        Assessment.objects.select_related("authority", "questionnaire").get(pk=assessment.pk)
    )

    svg = str(charts.radar_chart(results))

    assert svg.startswith("<svg") and 'role="img"' in svg
    assert re.search(r"<title id=\"radar-title\">Action scores of Mechelen, 2026", svg)
    assert "Action 6 Security by design: no score" in svg
    assert svg.count("<circle") == 5
    assert "No peer median" in svg


def test_a_suppressed_group_draws_no_strip():
    assert (
        charts.distribution_strip(stats=Stats(n=3, suppressed=True), own=50.0, label="All") is None
    )


def test_the_strip_places_quartiles_median_and_the_authority():
    svg = str(
        charts.distribution_strip(
            stats=Stats(n=6, suppressed=False, q1=25.0, median=50.0, q3=75.0, percentile=50.0),
            own=100.0,
            label="All authorities",
        )
    )

    assert (
        "<title>All authorities: middle half of peers from 25.0 to 75.0, median 50.0; "
        "your score 100.0</title>" in svg
    )
    assert '<rect x="43" y="6" width="74"' in svg  # 6 + 148 x 0.25 = 43, to 117
    assert 'x1="80" y1="4" x2="80"' in svg  # the median line at 6 + 74
    assert "154,5 160,12 154,19 148,12" in svg  # the diamond around 6 + 148 = 154


def test_frozen_scores_helper_matches_the_engine_format(draft):
    move_to(draft, Assessment.Status.APPROVED)

    assert sorted(frozen_scores({1: 50.0})) == sorted(draft.approved_scores)
