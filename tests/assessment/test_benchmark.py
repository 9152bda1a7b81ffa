"""Peer benchmarks: who counts as a peer, the groups, suppression, statistics and caching."""

import json

import pytest

from assessment import benchmark
from assessment.benchmark import ALL, COUNTRY, MIN_PEERS, POPULATION_BAND, benchmark_for, peer_table
from assessment.models import Assessment, Questionnaire
from assessment.scores import FrozenScores
from assessment.scoring import ACTIONS
from tests.factories import (
    AssessmentFactory,
    CoordinatorFactory,
    approved_peer,
    frozen_scores,
    move_to,
)

pytestmark = pytest.mark.usefixtures("content")


@pytest.fixture
def own(authority):
    """Mechelen's draft for 2026 (BE, 87,000 inhabitants: population band 50k-250k)."""
    return AssessmentFactory(authority=authority)


def scores_of(value: float | None) -> dict:
    return frozen_scores(dict.fromkeys(ACTIONS, value))


def own_scores(value: float | None) -> FrozenScores:
    return FrozenScores.from_dict(scores_of(value))


def peer_ids(cycle=2026, version="2024.1") -> set[int]:
    return {row.authority_id for row in peer_table(cycle=cycle, version=version)}


def test_peers_are_approved_assessments_of_the_same_cycle_and_version():
    peer = approved_peer(score=60)
    AssessmentFactory(submitted=True)
    AssessmentFactory(returned=True)
    AssessmentFactory()
    approved_peer(score=60, cycle=2025)
    older = Questionnaire.objects.create(version="2023.1", title="Old", source_hash="x" * 64)
    approved_peer(score=60, questionnaire=older)

    assert peer_ids() == {peer.authority_id}


def test_an_authority_is_never_its_own_peer(own):
    for _ in range(MIN_PEERS):
        approved_peer(score=40)
    # The same authority's approved assessment of the same cycle (as after approval).
    Assessment.objects.filter(pk=own.pk).update(
        status=Assessment.Status.APPROVED,
        submitted_at=own.created_at,
        approved_at=own.created_at,
        approved_scores=scores_of(90),
    )
    own.refresh_from_db()

    result = benchmark_for(assessment=own, scores=own_scores(90))

    assert result.group(ALL).n == MIN_PEERS
    assert result.group(ALL).actions[1].percentile == 100.0


def test_groups_are_all_authorities_the_same_population_band_and_the_same_country(own):
    approved_peer(score=10, country="BE", population=200_000)  # same band, same country
    approved_peer(score=20, country="BE", population=1_200_000)  # same country only
    approved_peer(score=30, country="NL", population=60_000)  # same band only
    approved_peer(score=40, country="FR", population=600_000)  # neither

    result = benchmark_for(assessment=own, scores=own_scores(50))

    assert [g.key for g in result.groups] == [ALL, POPULATION_BAND, COUNTRY]
    assert result.group(ALL).n == 4
    assert result.group(POPULATION_BAND).value == "50k-250k"
    assert result.group(POPULATION_BAND).n == 2
    assert result.group(COUNTRY).value == "BE"
    assert result.group(COUNTRY).n == 2


def test_a_group_of_four_peers_shows_no_statistics(own):
    for _ in range(MIN_PEERS - 1):
        approved_peer(score=50, country="BE")

    group = benchmark_for(assessment=own, scores=own_scores(60)).group(COUNTRY)

    assert group.suppressed
    for stats in [group.overall, *group.actions.values()]:
        assert stats.suppressed
        assert (stats.q1, stats.median, stats.q3, stats.percentile) == (None,) * 4


def test_a_group_of_five_peers_shows_statistics(own):
    for _ in range(MIN_PEERS):
        approved_peer(score=50, country="BE")

    group = benchmark_for(assessment=own, scores=own_scores(60)).group(COUNTRY)

    assert not group.suppressed
    assert group.actions[1].median == 50.0
    assert group.actions[1].percentile == 100.0


def test_statistics_follow_the_worked_example_of_scoring_md(own):
    for value in (30, 40, 50, 60, 70, 90):
        approved_peer(score=value)

    stats = benchmark_for(assessment=own, scores=own_scores(55)).group(ALL).actions[4]

    assert (stats.n, stats.q1, stats.median, stats.q3) == (6, 42.5, 55.0, 67.5)
    assert stats.percentile == 50.0


def test_equal_scores_count_half_in_the_percentile_rank(own):
    for value in (30, 40, 55, 55, 70, 90):
        approved_peer(score=value)

    stats = benchmark_for(assessment=own, scores=own_scores(55)).group(ALL).actions[2]

    assert stats.percentile == 50.0


def test_peers_without_a_score_for_an_action_are_left_out_of_its_statistics(own):
    for value in (20, 40, 60, 80):
        approved_peer(actions={**dict.fromkeys(ACTIONS, value), 3: value})
    for _ in range(2):
        approved_peer(actions={**dict.fromkeys(ACTIONS, 50), 3: None})

    group = benchmark_for(assessment=own, scores=own_scores(50)).group(ALL)

    assert group.n == 6
    assert group.actions[1].n == 6
    assert group.actions[3].n == 4
    assert group.actions[3].suppressed


def test_an_action_without_own_score_has_statistics_but_no_percentile(own):
    for value in (20, 40, 60, 80, 100):
        approved_peer(score=value)

    mine = FrozenScores.from_dict(frozen_scores({**dict.fromkeys(ACTIONS, 50.0), 6: None}))
    stats = benchmark_for(assessment=own, scores=mine).group(ALL).actions[6]

    assert stats.median == 60.0
    assert stats.percentile is None


def test_the_peer_table_takes_one_query_whatever_the_number_of_peers_then_only_its_version(
    django_assert_num_queries,
):
    """The version is read from the database (one query), so no node can use an old table."""
    for value in range(12):
        approved_peer(score=value * 5)

    with django_assert_num_queries(2):
        assert len(peer_table(cycle=2026, version="2024.1")) == 12
    with django_assert_num_queries(1):
        assert len(peer_table(cycle=2026, version="2024.1")) == 12


def test_approval_refreshes_the_cached_peers(own):
    approved_peer(score=50)
    assert benchmark_for(assessment=own, scores=own_scores(50)).group(ALL).n == 1

    move_to(AssessmentFactory(complete=True), Assessment.Status.APPROVED)

    assert benchmark_for(assessment=own, scores=own_scores(50)).group(ALL).n == 2


def test_returning_an_assessment_invalidates_the_cache_key():
    submitted = AssessmentFactory(submitted=True)
    before = benchmark.cache_key(cycle=2026, version="2024.1")

    from assessment import workflow

    workflow.return_for_changes(
        assessment=submitted, by=CoordinatorFactory(), comment="Please add evidence.", notify=False
    )

    assert benchmark.cache_key(cycle=2026, version="2024.1") != before


def test_the_benchmark_never_names_or_identifies_peers(own):
    peers = [approved_peer(score=10 * n, name=f"Secret town {n}") for n in range(1, 7)]

    data = json.dumps(benchmark_for(assessment=own, scores=own_scores(50)).to_dict())

    for peer in peers:
        assert peer.authority.name not in data
    assert "authority" not in data


def test_frozen_scores_missing_fields_count_as_no_score(own):
    for value in (20, 40, 60, 80, 100):
        approved_peer(score=value)
    broken = approved_peer(score=50)
    Assessment.objects.filter(pk=broken.pk).update(approved_scores={"actions": {"1": {}}})

    group = benchmark_for(assessment=own, scores=own_scores(50)).group(ALL)

    assert group.n == 6
    assert group.actions[1].n == 5
