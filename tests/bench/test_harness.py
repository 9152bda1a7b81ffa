"""The benchmark and load-test harness still fits the site: seeding, measuring, reading forms.

`make bench` and `make loadtest` are not run in CI; these checks catch, in seconds, a model or
form change that would break them.
"""

import pytest
from django.urls import reverse

from assessment import benchmark
from assessment.models import Answer, Assessment, Item
from bench import common
from bench.loadtest import split_failures, verify_saves


@pytest.fixture
def seeded(content):
    common.seed_scale(n_authorities=6, officers=2, officer_prefix="test-officer")
    return common.scale_data()


def test_seeding_creates_three_cycles_per_authority(seeded):
    assert Assessment.objects.filter(authority__name__startswith=common.BENCH_PREFIX).count() == 18
    assert seeded.draft.status == Assessment.Status.DRAFT
    assert seeded.approved.status == Assessment.Status.APPROVED


def test_seeding_twice_creates_nothing_more(seeded):
    again = common.seed_scale(n_authorities=6, officers=2, officer_prefix="test-officer")
    assert (again["authorities"], again["assessments"], again["answers"]) == (0, 0, 0)


def test_seeded_past_cycles_are_peers_with_frozen_scores(seeded):
    table = benchmark.peer_table(cycle=seeded.cycles[0], version=seeded.questionnaire.version)
    assert len(table) == 6
    assert all(row.overall is not None for row in table)


def test_seeded_officer_may_edit_only_their_draft(seeded):
    theirs = Assessment.objects.filter(authority__memberships__user=seeded.officer)
    assert [a for a in theirs if a.is_editable] == [seeded.draft]


def test_measure_gives_median_p95_and_queries(db):
    row = common.measure(common.client_for(None), "GET", "/healthz", n=3, name="health")
    assert row["name"] == "health"
    assert row["n"] == 3
    assert row["median_ms"] <= row["p95_ms"]
    assert row["queries"] == 2  # the database check and the count of live task workers
    assert row["errors"] == 0


def test_measure_counts_unexpected_statuses_instead_of_stopping(db):
    row = common.measure(common.client_for(None), "GET", "/no-such-page/", n=2)
    assert row["errors"] == 2
    assert row["error_statuses"] == [404]


def test_percentile_is_nearest_rank():
    samples = [float(n) for n in range(1, 21)]
    assert common.percentile(samples, 0.95) == 19.0


def test_bench_database_is_a_sibling_never_the_original():
    url = "postgres://postgres@127.0.0.1:5432/sps_portal"
    assert common.sibling_database_url(url, "bench").endswith("/sps_portal_bench")
    bench_url = common.sibling_database_url(url, "bench")
    assert common.sibling_database_url(bench_url, "bench") == bench_url


def test_table_shows_ratio_to_healthz_and_change_since_previous_run():
    rows = [{"name": "page", "median_ms": 20.0, "p95_ms": 30.0, "queries": 5, "queries_min": 5}]
    text = common.format_table(rows, baseline_ms=2.0, previous={"page": {"median_ms": 10.0}})
    assert "10.0" in text  # x healthz
    assert "+100%" in text


def test_table_shows_the_share_of_the_bare_hello_views_throughput():
    rows = [{"name": "page", "median_ms": 8.0, "p95_ms": 9.0, "queries": 0, "queries_min": 0}]
    text = common.format_table(rows, baseline_ms=2.0, hello_ms=2.0, previous={})
    header, _rule, line = text.splitlines()
    assert "% hello" in header
    assert line.split()[5] == "25.0"  # a quarter of hello's throughput


def test_the_hello_baseline_answers_behind_the_sites_middleware(client, settings):
    settings.ROOT_URLCONF = "bench.hello_urls"
    response = client.get("/hello")
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"


def test_load_test_officer_finds_the_save_fields_on_the_section_page(seeded, client):
    client.force_login(seeded.officer)
    item = (
        Item.objects.filter(questionnaire=seeded.questionnaire, answer_type="maturity")
        .order_by("position")
        .first()
    )
    action = item.section.action.number
    save_url = reverse("assessment:save", args=[seeded.draft.pk, action])
    page = client.get(reverse("assessment:section", args=[seeded.draft.pk, action]))
    shown = common.form_fields(page.content.decode(), save_url)
    prefix = item.code.replace(".", "_")
    assert f"{prefix}-version" in shown
    assert f"{prefix}-loaded" in shown


def test_load_test_save_is_acknowledged_by_a_redirect_and_stored(seeded, client):
    """The exact post the simulated officer sends, and the check made afterwards."""
    client.force_login(seeded.officer)
    item = (
        Item.objects.filter(questionnaire=seeded.questionnaire, answer_type="maturity")
        .order_by("position")
        .first()
    )
    action = item.section.action.number
    save_url = reverse("assessment:save", args=[seeded.draft.pk, action])
    section_url = reverse("assessment:section", args=[seeded.draft.pk, action])
    shown = common.form_fields(client.get(section_url).content.decode(), save_url)
    prefix = item.code.replace(".", "_")
    data = {
        f"{prefix}-{name}": shown.get(f"{prefix}-{name}", "")
        for name in ("version", "loaded", "evidence_url")
    }
    data.update({f"{prefix}-level": "4", f"{prefix}-evidence_note": "load test #1"})
    response = client.post(save_url, data)
    assert response.status_code == 302
    assert section_url in response["Location"]
    record = {
        "assessment": seeded.draft.pk,
        "item": item.pk,
        "level": 4,
        "note": "load test #1",
        "t": 1.0,
    }
    outcome = {"sent": [record], "acked": [{**record, "acked_at": 2.0}], "failures": []}
    assert verify_saves(outcome, reconnect=False)["lost"] == []


def test_a_save_missing_from_the_database_is_reported(seeded):
    item = Item.objects.filter(questionnaire=seeded.questionnaire).first()
    Answer.objects.filter(assessment=seeded.draft, item=item).delete()
    record = {"assessment": seeded.draft.pk, "item": item.pk, "level": 2, "note": "gone", "t": 1.0}
    outcome = {"sent": [record], "acked": [{**record, "acked_at": 2.0}], "failures": []}
    assert len(verify_saves(outcome, reconnect=False)["lost"]) == 1


def test_failures_are_split_between_drills_and_the_rest():
    drills = [{"drill": "kill", "at": 100.0, "ended": 103.0}, {"drill": "pg", "skipped": "x"}]
    failures = [{"t": 98.0, "ended": 100.5}, {"t": 50.0, "ended": 50.2}]
    outside, inside = split_failures(failures, drills)
    assert inside == {"kill": 1}
    assert outside == [failures[1]]
