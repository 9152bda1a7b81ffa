"""The field at a glance: dashboard filters, sorting, pagination and counts; the heatmap with
bands readable without colour; per-Action quartiles and their change; constant query counts."""

import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assessment import overview, scoring
from assessment.benchmark import quartiles
from assessment.models import Answer, Assessment, Item, Questionnaire
from partnership.models import UrbanAuthority

pytestmark = pytest.mark.django_db
Status = Assessment.Status
STATUS_CYCLE = [Status.APPROVED, Status.APPROVED, Status.SUBMITTED, Status.RETURNED, Status.DRAFT]
COUNTRIES = ["FR", "BE", "IT", "ES"]
POPULATIONS = [30_000, 49_999, 50_000, 120_000, 300_000, 2_000_000]


def scorecard(scores: list[float | None]) -> dict:
    """A frozen scorecard dict as Scorecard.to_dict() writes it."""
    present = [s for s in scores if s is not None]
    overall = round(sum(present) / len(present), 1) if present else None

    def band(value):
        return scoring.band_for(value).value if value is not None else None

    return {
        "questionnaire_version": "2024.1",
        "scoring_version": scoring.SCORING_VERSION,
        "overall": overall,
        "overall_band": band(overall),
        "actions": {
            str(n): {"score": s, "band": band(s), "coverage": 1.0}
            for n, s in zip(scoring.ACTIONS, scores, strict=True)
        },
    }


def scores_for(i: int, cycle: int) -> list[float]:
    return [float((i * 7 + n * 11 + cycle) % 100) for n in scoring.ACTIONS]


def bulk_field(
    n: int, *, cycle: int = 2026, start: int = 0, answers_per: int = 3, prefix: str = "Town"
) -> list[Assessment]:
    """`n` authorities with one assessment each in `cycle`, statuses in turn (bulk inserts).

    Timestamps and frozen scores are set as the model's constraints require; each assessment
    answers its first `answers_per` items.
    """
    questionnaire = Questionnaire.objects.get(is_current=True)
    authorities = UrbanAuthority.objects.bulk_create(
        [
            UrbanAuthority(
                name=f"{prefix} {start + i:04d}",
                country=COUNTRIES[i % 4],
                population=POPULATIONS[i % 6],
                is_partner=i % 3 == 0,
            )
            for i in range(n)
        ]
    )
    now = timezone.now()
    assessments = []
    for i, authority in enumerate(authorities):
        status = STATUS_CYCLE[i % len(STATUS_CYCLE)]
        assessment = Assessment(
            authority=authority, cycle=cycle, questionnaire=questionnaire, status=status
        )
        if status != Status.DRAFT:
            assessment.submitted_at = now - timedelta(days=i % 30)
            assessment.submitted_scores = scorecard(scores_for(start + i, cycle))
        if status == Status.RETURNED:
            assessment.returned_at = now
            assessment.return_comment = "Add evidence."
        if status == Status.APPROVED:
            assessment.approved_at = now
            assessment.approved_scores = scorecard(scores_for(start + i, cycle))
        assessments.append(assessment)
    Assessment.objects.bulk_create(assessments)
    items = list(
        Item.objects.filter(questionnaire=questionnaire).order_by("position")[:answers_per]
    )
    Answer.objects.bulk_create(
        [
            Answer(
                assessment=a,
                item=item,
                level=2 if item.answer_type == "maturity" else None,
                yes=True if item.answer_type == "yes_no" else None,
                number=5 if item.answer_type == "number" else None,
                evidence_note="Annual report",
            )
            for a in assessments
            for item in items
        ]
    )
    return assessments


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


def get(client, name: str, **params):
    return client.get(reverse(f"assessment:{name}"), params)


def rows_of(response) -> list[str]:
    """Authority names in table order."""
    return re.findall(r'<th scope="row">(?:<a [^>]+>)?([^<]+)<', response.content.decode())


# --- Dashboard -----------------------------------------------------------------------------


def test_dashboard_lists_every_assessment_with_a_link_to_its_review(coordinator_client, content):
    assessments = bulk_field(5)
    response = get(coordinator_client, "coordinator_dashboard")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    for a in assessments:
        assert reverse("assessment:review", args=[a.pk]) in html
    assert "5 assessments match the filters." in html


def test_dashboard_counts_per_status_ignore_the_status_filter_but_not_the_others(
    coordinator_client, content
):
    bulk_field(10)  # 4 approved, 2 submitted, 2 returned, 2 drafts
    response = get(coordinator_client, "coordinator_dashboard", status="approved")
    counts = {c.status: c.count for c in response.context["counts"]}
    assert counts == {"draft": 2, "submitted": 2, "returned": 2, "approved": 4}
    assert response.context["dashboard"].page.paginator.count == 4
    more = get(coordinator_client, "coordinator_dashboard", status="approved", country="FR", page=2)
    assert 'href="?country=FR&amp;status=submitted"' in more.content.decode()
    filters = overview.FieldFilters(country="FR")
    assert {c.status: c.count for c in overview.status_counts(filters=filters)} == {
        "draft": 1,
        "submitted": 0,
        "returned": 1,
        "approved": 1,
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "submitted"}, {"Town 0002", "Town 0007"}),
        ({"country": "BE"}, {"Town 0001", "Town 0005", "Town 0009"}),
        ({"band": "lt50k"}, {"Town 0000", "Town 0001", "Town 0006", "Town 0007", "Old 0000"}),
        ({"band": "50k-250k"}, {"Town 0002", "Town 0003", "Town 0008", "Town 0009"}),
        ({"band": "gt1m"}, {"Town 0005"}),
        ({"partner": "yes"}, {"Town 0000", "Town 0003", "Town 0006", "Town 0009", "Old 0000"}),
        ({"partner": "no", "status": "approved"}, {"Town 0001", "Town 0005"}),
        ({"cycle": "2025"}, {"Old 0000"}),
    ],
)
def test_dashboard_filters(coordinator_client, content, params, expected):
    bulk_field(10)
    bulk_field(1, cycle=2025, prefix="Old")
    response = get(coordinator_client, "coordinator_dashboard", **params)
    assert set(rows_of(response)) == expected


def test_dashboard_sorts_by_population_largest_first(coordinator_client, content):
    bulk_field(6)
    response = get(coordinator_client, "coordinator_dashboard", sort="-population")
    assert rows_of(response) == [
        "Town 0005",
        "Town 0004",
        "Town 0003",
        "Town 0002",
        "Town 0001",
        "Town 0000",
    ]


def test_dashboard_is_paginated_and_keeps_the_filters_in_the_page_links(
    coordinator_client, content
):
    bulk_field(120)  # 30 in France: every 4th
    response = get(coordinator_client, "coordinator_dashboard", country="FR", page=2)
    assert rows_of(response) == ["Town 0100", "Town 0104", "Town 0108", "Town 0112", "Town 0116"]
    html = response.content.decode()
    assert "Page 2 of 2" in html
    assert 'href="?country=FR&amp;page=1"' in html


def test_dashboard_pages(coordinator_client, content):
    bulk_field(60)
    first = get(coordinator_client, "coordinator_dashboard")
    second = get(coordinator_client, "coordinator_dashboard", page=2, status="")
    assert len(rows_of(first)) == 25 and len(rows_of(second)) == 25
    assert not set(rows_of(first)) & set(rows_of(second))
    assert "Page 1 of 3" in first.content.decode()
    assert 'href="?status=&amp;page=3"' in second.content.decode()
    last = get(coordinator_client, "coordinator_dashboard", page=999)
    assert len(rows_of(last)) == 10  # out of range: the last page, not an error


def test_invalid_filters_are_explained_next_to_the_field_and_the_rest_applies(
    coordinator_client, content
):
    bulk_field(10)
    response = get(
        coordinator_client,
        "coordinator_dashboard",
        status="lost",
        cycle="abc",
        country="BE",
        sort="nonsense",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Select a valid choice. lost is not one of the available choices." in html
    assert "Select a valid choice. abc is not one of the available choices." in html
    assert set(rows_of(response)) == {"Town 0001", "Town 0005", "Town 0009"}


def test_every_filter_has_a_label(coordinator_client, content):
    html = get(coordinator_client, "coordinator_dashboard").content.decode()
    for name in ["status", "cycle", "country", "band", "partner", "sort"]:
        assert f'<label for="id_{name}"' in html


# --- Heatmap -------------------------------------------------------------------------------


def test_heatmap_shows_each_score_with_its_band_in_words_and_as_a_colour(
    coordinator_client, content
):
    bulk_field(5)
    response = get(coordinator_client, "coordinator_heatmap")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Field heatmap, 2026 cycle" in html
    heat = response.context["heatmap"]
    assert [row.assessment.authority.name for row in heat.rows] == [
        "Town 0000",
        "Town 0001",
        "Town 0002",
        "Town 0003",
    ]  # the draft has no scores
    cell = heat.rows[0].cells[0]  # Town 0000, Action 1: (0 + 11 + 2026) % 100 = 37
    assert (cell.score, cell.band, cell.label) == (37.0, "developing", "37.0 Developing")
    assert (
        '<td class="heat-cell heat-developing"><span class="heat-score">37.0</span> '
        '<span class="heat-band">Developing</span></td>'
    ) in html
    for band in ["Initial", "Developing", "Established", "Advanced"]:
        assert f'class="heat-chip heat-{band.lower()}">{band}</span>' in html  # the legend


def test_heatmap_uses_the_frozen_scores(content):
    approved, _, submitted, *_ = bulk_field(3)
    Assessment.objects.filter(pk=approved.pk).update(
        approved_scores=scorecard([90.0] * 6), submitted_scores=scorecard([10.0] * 6)
    )
    heat = overview.heatmap(filters=overview.FieldFilters(cycle=2026))
    by_name = {row.assessment.authority.name: row for row in heat.rows}
    assert by_name["Town 0000"].overall.label == "90.0 Advanced"
    assert by_name["Town 0002"].cells[0].score == scores_for(2, 2026)[0]


def test_heatmap_defaults_to_the_latest_cycle_and_offers_no_any_cycle(coordinator_client, content):
    bulk_field(2, cycle=2025, prefix="Old")
    bulk_field(2, cycle=2026)
    response = get(coordinator_client, "coordinator_heatmap")
    assert response.context["filters"].cycle == 2026
    assert "Any cycle" not in response.content.decode()
    older = get(coordinator_client, "coordinator_heatmap", cycle=2025)
    assert {r.assessment.authority.name for r in older.context["heatmap"].rows} == {
        "Old 0000",
        "Old 0001",
    }


def test_heatmap_with_an_unknown_cycle_says_so_and_shows_the_latest(coordinator_client, content):
    bulk_field(2)
    response = get(coordinator_client, "coordinator_heatmap", cycle="1999")
    assert response.status_code == 200
    assert "Select a valid choice. 1999 is not one of the available choices." in (
        response.content.decode()
    )
    assert response.context["filters"].cycle == 2026
    assert len(response.context["heatmap"].rows) == 2


def test_heatmap_of_an_empty_field(coordinator_client, db):
    response = get(coordinator_client, "coordinator_heatmap")
    assert response.status_code == 200
    assert "No submitted or approved assessment matches these filters." in (
        response.content.decode()
    )


def test_per_action_quartiles_count_approved_assessments_only(content):
    bulk_field(20)
    bulk_field(20, cycle=2025, prefix="Old")
    stats = overview.action_statistics(filters=overview.FieldFilters(cycle=2026))
    approved = [i for i in range(20) if STATUS_CYCLE[i % 5] == Status.APPROVED]
    assert stats.previous_cycle == 2025
    action1 = stats.actions[0]
    current = [scores_for(i, 2026)[0] for i in approved]
    before = [scores_for(i, 2025)[0] for i in approved]
    assert action1.count == 8
    assert (action1.q1, action1.median, action1.q3) == quartiles(current)
    assert action1.previous_median == quartiles(before)[1]
    assert action1.change == pytest.approx(quartiles(current)[1] - quartiles(before)[1])


def test_quartiles_honour_the_other_filters_and_ignore_the_status_filter(content):
    bulk_field(20)
    everyone = overview.action_statistics(filters=overview.FieldFilters(cycle=2026))
    with_status = overview.action_statistics(
        filters=overview.FieldFilters(cycle=2026, status="submitted")
    )
    assert with_status == everyone
    french = overview.action_statistics(filters=overview.FieldFilters(cycle=2026, country="FR"))
    assert french.actions[0].count == 2  # in France (0, 4, 8, 12, 16) approved: 0 and 16
    assert french.previous_cycle is None and french.actions[0].change is None


def test_heatmap_page_shows_the_statistics_and_the_change(coordinator_client, content):
    bulk_field(10)
    bulk_field(10, cycle=2025, prefix="Old")
    html = get(coordinator_client, "coordinator_heatmap").content.decode()
    assert "Change: median now minus median in 2025." in html
    stats = overview.action_statistics(filters=overview.FieldFilters(cycle=2026))
    change = stats.actions[0].change
    assert f"{'+' if change > 0 else ''}{change:.1f}" in html


# --- Query counts --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["coordinator_dashboard", "coordinator_heatmap"])
def test_field_pages_take_the_same_queries_with_10_and_300_assessments(
    coordinator_client, content, name, django_assert_max_num_queries
):
    bulk_field(10)
    bulk_field(10, cycle=2025, prefix="Old")
    url = reverse(f"assessment:{name}")
    with django_assert_max_num_queries(11):
        assert coordinator_client.get(url, {"sort": "-population"}).status_code == 200
    bulk_field(290, start=10)
    bulk_field(290, cycle=2025, prefix="Old", start=10)
    assert Assessment.objects.filter(cycle=2026).count() == 300
    with django_assert_max_num_queries(11):
        response = coordinator_client.get(url, {"sort": "-population"})
    assert response.status_code == 200
    with django_assert_max_num_queries(11):
        assert coordinator_client.get(url, {"page": 3, "band": "lt50k"}).status_code == 200


# --- Demo data -----------------------------------------------------------------------------


def test_demo_data_has_every_status_with_most_of_the_field_approved(coordinator, client, settings):
    settings.DEBUG = True
    call_command("load_demo_data", stdout=io.StringIO())
    counts = {c.status: c.count for c in overview.status_counts(filters=overview.FieldFilters())}
    assert all(counts[status] > 0 for status in Status.values), counts
    assert counts["approved"] > sum(counts.values()) * 0.8
    current = max(overview.available_cycles())
    current_counts = {
        c.status: c.count
        for c in overview.status_counts(filters=overview.FieldFilters(cycle=current))
    }
    assert current_counts["approved"] > sum(current_counts.values()) / 2
    client.force_login(coordinator)
    assert client.get(reverse("assessment:coordinator_dashboard")).status_code == 200
    assert client.get(reverse("assessment:coordinator_heatmap")).status_code == 200
