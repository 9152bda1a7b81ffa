"""Tests for the pure scoring engine (no database, no Django needed)."""

from __future__ import annotations

import json
import math
import pickle
import statistics
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from assessment.benchmark import MIN_PEERS, percentile_rank, quartiles
from assessment.scoring import (
    ACTIONS,
    SCORING_VERSION,
    Answer,
    AnswerType,
    Band,
    ItemSpec,
    QuestionnaireSpec,
    band_for,
    improvement_priorities,
    points_for,
    score,
    strengths,
)

# database=None: no .hypothesis/ directory in the working tree.
PROPERTY = settings(max_examples=200, deadline=None, database=None)
# Whole random questionnaires with answers cost ~4 ms each to generate; 100 per
# property keeps this file within its ~5 s budget.
SCENARIOS = settings(PROPERTY, max_examples=100)


def maturity(code: str, action: int, weights: dict[int, float] | None = None, **kw) -> ItemSpec:
    return ItemSpec(
        code=code,
        action=action,
        answer_type=AnswerType.MATURITY,
        weights=weights or {action: 1.0},
        **kw,
    )


def yes_no(code: str, action: int, weights: dict[int, float] | None = None, **kw) -> ItemSpec:
    return ItemSpec(
        code=code,
        action=action,
        answer_type=AnswerType.YES_NO,
        weights=weights or {action: 1.0},
        **kw,
    )


def number(
    code: str, action: int, bands: tuple[float, ...], weights: dict[int, float] | None = None, **kw
) -> ItemSpec:
    return ItemSpec(
        code=code,
        action=action,
        answer_type=AnswerType.NUMBER,
        weights=weights or {action: 1.0},
        bands=bands,
        **kw,
    )


# The worked example of SCORING.md, checked here so the document stays true.
WORKED = QuestionnaireSpec(
    version="2025.1",
    items=(
        maturity("A2.5", 2, {2: 1.0, 4: 0.5}),
        maturity("A4.1", 4),
        number("A4.2", 4, (10, 30, 50, 75)),
        yes_no("A4.3", 4, allow_na=True),
        maturity("A4.4", 4),
    ),
)
WORKED_ANSWERS = {
    "A2.5": Answer(level=2),
    "A4.1": Answer(level=3),
    "A4.2": Answer(number=Decimal("40")),
    "A4.3": Answer(not_applicable=True),
    # A4.4 left unanswered
}


# --- hand-computed examples -------------------------------------------------


def test_all_fours_give_100():
    q = QuestionnaireSpec(
        version="v",
        items=(maturity("A1.1", 1), yes_no("A1.2", 1), number("A1.3", 1, (1, 2, 3, 4))),
    )
    card = score(q, {"A1.1": Answer(level=4), "A1.2": Answer(yes=True), "A1.3": Answer(number=9)})
    assert card.actions[1].score == 100.0
    assert card.actions[1].band is Band.ADVANCED
    assert card.overall == 100.0


def test_worked_example_weights_a_cross_action_item_and_skips_na_and_unanswered():
    card = score(WORKED, WORKED_ANSWERS)
    a4 = card.actions[4]
    # (1x3 + 1x2 + 0.5x2) / (1x4 + 1x4 + 0.5x4) = 6 / 10
    assert a4.score == pytest.approx(60.0)
    assert a4.band is Band.ESTABLISHED
    # answered or N/A: 0.5 + 1 + 1 + 1 = 3.5 of 4.5
    assert a4.coverage == pytest.approx(3.5 / 4.5)
    assert [c.code for c in a4.contributions] == ["A2.5", "A4.1", "A4.2", "A4.3", "A4.4"]
    assert [c.weight for c in a4.contributions] == [0.5, 1.0, 1.0, 1.0, 1.0]
    assert [c.points for c in a4.contributions] == [2, 3, 2, None, None]
    assert [c.not_applicable for c in a4.contributions] == [False, False, False, True, False]
    assert [c.answered for c in a4.contributions] == [True, True, True, True, False]
    # Action 2 only sees its own item at full weight: 2 / 4
    assert card.actions[2].score == pytest.approx(50.0)
    assert card.actions[2].coverage == 1.0
    assert card.overall == pytest.approx(55.0)
    assert card.overall_band is Band.ESTABLISHED


def test_worked_example_to_dict_rounds_for_display_only():
    data = score(WORKED, WORKED_ANSWERS).to_dict()
    assert data == {
        "questionnaire_version": "2025.1",
        "scoring_version": SCORING_VERSION,
        "overall": 55.0,
        "overall_band": "established",
        "actions": {
            "1": {"score": None, "band": None, "coverage": 0.0},
            "2": {"score": 50.0, "band": "established", "coverage": 1.0},
            "3": {"score": None, "band": None, "coverage": 0.0},
            "4": {"score": 60.0, "band": "established", "coverage": 0.778},
            "5": {"score": None, "band": None, "coverage": 0.0},
            "6": {"score": None, "band": None, "coverage": 0.0},
        },
    }
    assert json.loads(json.dumps(data)) == data


def test_to_dict_rounds_scores_to_one_decimal_but_the_scorecard_keeps_them_exact():
    q = QuestionnaireSpec(
        version="v", items=(maturity("A1.1", 1), maturity("A1.2", 1), maturity("A1.3", 1))
    )
    card = score(q, {"A1.1": Answer(level=1), "A1.2": Answer(level=1), "A1.3": Answer(level=2)})
    assert card.actions[1].score == pytest.approx(100 * 4 / 12)
    assert card.to_dict()["actions"]["1"]["score"] == 33.3


@pytest.mark.parametrize(
    ("value", "points"),
    [
        (-5, 0),
        (9.99, 0),
        (10, 1),
        (29.9, 1),
        (30, 2),
        (Decimal("50"), 3),
        (74.999, 3),
        (75, 4),
        (1e9, 4),
    ],
)
def test_number_points_follow_increasing_bands(value, points):
    item = number("A3.1", 3, (10, 30, 50, 75))
    assert points_for(item, Answer(number=value)) == points


@pytest.mark.parametrize(
    ("minutes", "points"), [(61, 0), (60, 1), (20, 2), (15, 3), (6, 3), (5, 4), (0, 4)]
)
def test_number_points_follow_decreasing_bands_when_lower_is_better(minutes, points):
    item = number("A5.1", 5, (60, 30, 15, 5), higher_is_better=False)
    assert points_for(item, Answer(number=minutes)) == points


def test_lower_is_better_number_item_weighted_with_a_yes_no_item():
    q = QuestionnaireSpec(
        version="v",
        items=(
            number("A5.1", 5, (60, 30, 15, 5), {5: 2.0}, higher_is_better=False),
            yes_no("A5.2", 5),
        ),
    )
    card = score(q, {"A5.1": Answer(number=20), "A5.2": Answer(yes=True)})
    # (2x2 + 1x4) / (2x4 + 1x4) = 8 / 12
    assert card.actions[5].score == pytest.approx(200 / 3)
    assert card.actions[5].band is Band.ESTABLISHED


def test_decimal_answer_equal_to_a_fractional_band_reaches_it():
    item = number("A3.1", 3, (0.1, 0.2, 0.3, 0.4))
    assert points_for(item, Answer(number=Decimal("0.3"))) == 3


def test_yes_gives_four_and_no_gives_zero():
    item = yes_no("A1.1", 1)
    assert points_for(item, Answer(yes=True)) == 4
    assert points_for(item, Answer(yes=False)) == 0
    assert points_for(item, Answer()) is None


@pytest.mark.parametrize("level", [-1, 5, True, 2.5])
def test_out_of_range_maturity_level_raises(level):
    with pytest.raises(ValueError, match="A1.1"):
        points_for(maturity("A1.1", 1), Answer(level=level))


def test_non_finite_number_raises():
    with pytest.raises(ValueError):
        points_for(number("A1.1", 1, (1, 2, 3, 4)), Answer(number=float("nan")))


# --- bands --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "band"),
    [
        (0.0, Band.INITIAL),
        (24.99, Band.INITIAL),
        (24.999999, Band.INITIAL),
        (25.0, Band.DEVELOPING),
        (49.99, Band.DEVELOPING),
        (50.0, Band.ESTABLISHED),
        (74.99, Band.ESTABLISHED),
        (75.0, Band.ADVANCED),
        (100.0, Band.ADVANCED),
    ],
)
def test_band_boundaries_sit_at_25_50_and_75_on_the_unrounded_score(value, band):
    assert band_for(value) is band


def test_no_score_has_no_band():
    assert band_for(None) is None


def test_band_labels_are_plain_english():
    from assessment.wording import band_label

    assert [band_label(b) for b in Band] == ["Initial", "Developing", "Established", "Advanced"]
    assert Band.ADVANCED == "advanced"


# --- no score, coverage, overall ---------------------------------------------


def test_action_with_only_na_items_has_no_score_but_full_coverage():
    q = QuestionnaireSpec(
        version="v", items=(yes_no("A6.1", 6, allow_na=True), maturity("A6.2", 6, allow_na=True))
    )
    card = score(q, {"A6.1": Answer(not_applicable=True), "A6.2": Answer(not_applicable=True)})
    assert card.actions[6].score is None
    assert card.actions[6].band is None
    assert card.actions[6].coverage == 1.0
    assert card.overall is None
    assert card.overall_band is None


def test_action_with_nothing_answered_has_no_score_and_zero_coverage():
    card = score(WORKED, {})
    assert card.actions[4].score is None
    assert card.actions[4].coverage == 0.0
    assert all(c.points is None and not c.answered for c in card.actions[4].contributions)


def test_coverage_is_weighted_and_counts_na_as_covered():
    q = QuestionnaireSpec(
        version="v",
        items=(
            maturity("A3.1", 3, {3: 2.0}),
            yes_no("A3.2", 3, allow_na=True),
            maturity("A3.3", 3),
        ),
    )
    card = score(q, {"A3.1": Answer(level=0), "A3.2": Answer(not_applicable=True)})
    assert card.actions[3].coverage == pytest.approx(3 / 4)
    assert card.actions[3].score == 0.0
    assert card.actions[3].band is Band.INITIAL


def test_na_on_an_item_that_does_not_allow_it_counts_as_unanswered():
    q = QuestionnaireSpec(version="v", items=(maturity("A1.1", 1), maturity("A1.2", 1)))
    card = score(q, {"A1.1": Answer(level=2), "A1.2": Answer(not_applicable=True)})
    assert card.actions[1].score == 50.0
    assert card.actions[1].coverage == 0.5
    assert card.actions[1].contributions[1].not_applicable is False
    assert card.actions[1].contributions[1].answered is False


def test_answers_for_unknown_codes_are_ignored():
    with_stray = dict(WORKED_ANSWERS, ZZ9=Answer(level=4), A9=Answer(level=99))
    assert score(WORKED, with_stray) == score(WORKED, WORKED_ANSWERS)


def test_overall_is_the_mean_of_the_action_scores_that_exist():
    q = QuestionnaireSpec(
        version="v",
        items=tuple(maturity(f"A{n}.1", n, allow_na=True) for n in ACTIONS),
    )
    levels = {1: 4, 2: 2, 3: None, 4: 1, 5: 0, 6: "na"}
    answers = {
        f"A{n}.1": Answer(not_applicable=True) if lv == "na" else Answer(level=lv)
        for n, lv in levels.items()
        if lv is not None
    }
    card = score(q, answers)
    assert [card.actions[n].score for n in ACTIONS] == [100.0, 50.0, None, 25.0, 0.0, None]
    assert card.overall == pytest.approx(175 / 4)
    assert card.overall_band is Band.DEVELOPING


def test_scorecard_carries_both_versions_and_all_six_actions():
    card = score(WORKED, WORKED_ANSWERS)
    assert card.questionnaire_version == "2025.1"
    assert card.scoring_version == SCORING_VERSION == "1.0"
    assert tuple(card.actions) == ACTIONS
    assert pickle.loads(pickle.dumps(card)) == card  # noqa: S301 - our own object


# --- priorities and strengths ---------------------------------------------------


def test_improvement_priorities_rank_lost_weighted_points_with_unanswered_as_zero():
    # lost: A4.4 (unanswered) 4, A4.2 2, A2.5 0.5x2 = 1, A4.1 1; A4.3 N/A excluded
    assert improvement_priorities(WORKED, WORKED_ANSWERS, 4) == ["A4.4", "A4.2", "A2.5"]
    assert improvement_priorities(WORKED, WORKED_ANSWERS, 4, limit=10) == [
        "A4.4",
        "A4.2",
        "A2.5",
        "A4.1",
    ]
    assert improvement_priorities(WORKED, WORKED_ANSWERS, 4, limit=0) == []


def test_improvement_priorities_leave_out_items_already_at_four():
    q = QuestionnaireSpec(version="v", items=(maturity("A1.1", 1), maturity("A1.2", 1)))
    assert improvement_priorities(q, {"A1.1": Answer(level=4), "A1.2": Answer(level=3)}, 1) == [
        "A1.2"
    ]


def test_strengths_are_owned_items_at_three_or_four_ranked_by_weighted_points():
    q = QuestionnaireSpec(
        version="v",
        items=(
            maturity("A2.1", 2),
            maturity("A2.2", 2, {2: 2.0}),
            yes_no("A2.3", 2),
            maturity("A2.4", 2),
            maturity("A2.5", 2),
            maturity("A3.1", 3, {3: 1.0, 2: 5.0}),
        ),
    )
    answers = {
        "A2.1": Answer(level=3),
        "A2.2": Answer(level=3),
        "A2.3": Answer(yes=True),
        "A2.4": Answer(level=2),
        "A2.5": Answer(level=4),
        "A3.1": Answer(level=4),  # counts to Action 2 but is not owned by it
    }
    assert strengths(q, answers, 2) == ["A2.2", "A2.3", "A2.5"]
    assert strengths(q, answers, 2, limit=5) == ["A2.2", "A2.3", "A2.5", "A2.1"]
    assert strengths(WORKED, WORKED_ANSWERS, 4) == ["A4.1"]


# --- spec validation -------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {"action": 7},
        {"weights": {}},
        {"weights": {9: 1.0}},
        {"weights": {1: 0.0}},
        {"answer_type": AnswerType.NUMBER, "bands": (1, 2, 3)},
        {"answer_type": AnswerType.NUMBER, "bands": (4, 3, 2, 1)},
        {"answer_type": AnswerType.NUMBER, "bands": (1, 2, 3, 4), "higher_is_better": False},
        {"bands": (1, 2, 3, 4)},
    ],
)
def test_inconsistent_item_specs_are_rejected(kwargs):
    base = {"code": "A1.1", "action": 1, "answer_type": AnswerType.MATURITY, "weights": {1: 1}}
    with pytest.raises(ValueError):
        ItemSpec(**(base | kwargs))


def test_duplicate_codes_are_rejected():
    with pytest.raises(ValueError, match="duplicate"):
        QuestionnaireSpec(version="v", items=(maturity("A1.1", 1), maturity("A1.1", 1)))


def test_items_for_action_includes_cross_weighted_items_in_questionnaire_order():
    assert [i.code for i in WORKED.items_for_action(4)] == ["A2.5", "A4.1", "A4.2", "A4.3", "A4.4"]
    assert [i.code for i in WORKED.items_for_action(2)] == ["A2.5"]
    assert WORKED.items_for_action(1) == ()


def test_answer_is_answered_when_na_or_any_value_is_present():
    assert not Answer().is_answered
    assert Answer(not_applicable=True).is_answered
    assert Answer(level=0).is_answered
    assert Answer(yes=False).is_answered
    assert Answer(number=0).is_answered


# --- peer statistics ----------------------------------------------------------------


def test_min_peers_is_five():
    assert MIN_PEERS == 5


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([30, 40, 50, 60, 70, 90], (42.5, 55.0, 67.5)),
        ([90, 40, 70, 50, 55], (50.0, 55.0, 70.0)),
        ([1, 2, 4, 7, 8, 9, 10, 12], (3.5, 7.5, 9.25)),  # Excel QUARTILE.INC
        ([42.0], (42.0, 42.0, 42.0)),
    ],
)
def test_quartiles_use_inclusive_linear_interpolation(values, expected):
    assert quartiles(values) == pytest.approx(expected)


def test_percentile_rank_counts_half_of_the_ties():
    peers = [30, 40, 55, 55, 70, 90]
    assert percentile_rank(55, peers) == 50.0  # (2 below + 2/2 equal) / 6
    assert percentile_rank(10, peers) == 0.0
    assert percentile_rank(95, peers) == 100.0
    assert percentile_rank(70, [70] * 5) == 50.0


def test_peer_statistics_reject_empty_input():
    with pytest.raises(ValueError):
        quartiles([])
    with pytest.raises(ValueError):
        percentile_rank(50, [])


# --- property-based tests --------------------------------------------------------------

# Hypothesis spends ~50 microseconds per primitive choice, so each item is drawn
# from a few integers ("genomes") decoded below rather than from a dozen separate
# draws. Integers shrink towards 0, which decodes to the simplest case (a maturity
# item of weight 1 counting only to its own Action, answered at level 0).

WEIGHT_CHOICES = (1.0, 0.5, 2.0, 0.25, 1.5, 0.1, 0.3, 1.9, 1.0832608002061, 3.0)
TYPE_CHOICES = (AnswerType.MATURITY, AnswerType.YES_NO, AnswerType.NUMBER)
# type, own weight, cross-Action mask, cross weight, allow N/A, lower is better,
# then the first band threshold (-100..100) and the three gaps between thresholds
ITEM_RADICES = (3, len(WEIGHT_CHOICES), 32, len(WEIGHT_CHOICES), 2, 2, 201, 301, 301, 301)
ANSWER_RADICES = (5, 4, 1401)


def digits(genome: int, radices: tuple[int, ...]) -> list[int]:
    """Mixed-radix digits of ``genome``, least significant first."""
    out = []
    for radix in radices:
        genome, digit = divmod(genome, radix)
        out.append(digit)
    return out


ITEM_GENOMES = st.integers(0, math.prod(ITEM_RADICES) - 1)
ANSWER_GENOMES = st.integers(0, math.prod(ANSWER_RADICES) - 1)
ITEM_COUNTS = st.integers(1, 4)


def build_item(action: int, index: int, genome: int) -> ItemSpec:
    kind, own_w, cross_mask, cross_w, allow_na, lower_better, base, *gaps = digits(
        genome, ITEM_RADICES
    )
    weights = {action: WEIGHT_CHOICES[own_w]}
    others = [a for a in ACTIONS if a != action]
    for bit, other in enumerate(others):
        if cross_mask >> bit & 1:
            weights[other] = WEIGHT_CHOICES[cross_w]
    answer_type = TYPE_CHOICES[kind]
    bands: tuple[float, ...] = ()
    if answer_type is AnswerType.NUMBER:
        rising = [float(base - 100)]
        for gap in gaps:
            rising.append(rising[-1] + gap)
        bands = tuple(reversed(rising)) if lower_better else tuple(rising)
    return ItemSpec(
        code=f"A{action}.{index}",
        action=action,
        answer_type=answer_type,
        weights=weights,
        allow_na=bool(allow_na),
        bands=bands,
        higher_is_better=not lower_better,
    )


def build_answer(item: ItemSpec, genome: int) -> Answer | None:
    """A value (3 in 5), N/A (allowed or not), an empty Answer, or no answer at all."""
    kind, flavour, raw = digits(genome, ANSWER_RADICES)
    if kind == 3:
        return Answer(not_applicable=True)
    if kind == 4:
        return None if flavour % 2 else Answer()
    if item.answer_type is AnswerType.MATURITY:
        return Answer(level=raw % 5)
    if item.answer_type is AnswerType.YES_NO:
        return Answer(yes=bool(raw % 2))
    # numbers: exactly on a threshold, or anywhere in -200..1200 (+ a fraction),
    # as a float or a Decimal
    value = item.bands[raw % 4] if flavour < 2 else raw - 200 + flavour / 8
    return Answer(number=Decimal(str(value)) if flavour % 2 else value)


@st.composite
def questionnaires(draw) -> QuestionnaireSpec:
    """1-4 items per Action with random types, weights, cross-weights and bands."""
    items = []
    for action in ACTIONS:
        for index in range(1, draw(ITEM_COUNTS) + 1):
            items.append(build_item(action, index, draw(ITEM_GENOMES)))
    return QuestionnaireSpec(version="prop", items=tuple(items))


@st.composite
def scenarios(draw) -> tuple[QuestionnaireSpec, dict[str, Answer]]:
    """A random questionnaire with random answers (plus maybe a stray code)."""
    questionnaire = draw(questionnaires())
    answers = {}
    for item in questionnaire.items:
        answer = build_answer(item, draw(ANSWER_GENOMES))
        if answer is not None:
            answers[item.code] = answer
    if draw(st.booleans()):
        answers["X9.9"] = Answer(level=4)
    return questionnaire, answers


def raised(item: ItemSpec, answer: Answer, delta: float) -> Answer | None:
    """The answer one step better, or None when it cannot be raised."""
    if answer.not_applicable:
        return None
    if item.answer_type is AnswerType.MATURITY and answer.level is not None and answer.level < 4:
        return Answer(level=answer.level + 1)
    if item.answer_type is AnswerType.YES_NO and answer.yes is False:
        return Answer(yes=True)
    if item.answer_type is AnswerType.NUMBER and answer.number is not None:
        step = delta if item.higher_is_better else -delta
        return Answer(number=float(answer.number) + step)
    return None


@SCENARIOS
@given(scenarios())
def test_every_score_is_between_0_and_100_and_coverage_between_0_and_1(scenario):
    questionnaire, answers = scenario
    card = score(questionnaire, answers)
    for action in ACTIONS:
        result = card.actions[action]
        assert result.score is None or 0.0 <= result.score <= 100.0
        assert result.band == band_for(result.score)
        assert 0.0 <= result.coverage <= 1.0
        assert [c.code for c in result.contributions] == [
            i.code for i in questionnaire.items_for_action(action)
        ]
    present = [a.score for a in card.actions.values() if a.score is not None]
    if present:
        assert card.overall == pytest.approx(sum(present) / len(present))
        assert 0.0 <= card.overall <= 100.0
    else:
        assert card.overall is None


@SCENARIOS
@given(scenarios(), st.data(), st.floats(0, 500))
def test_raising_any_one_answer_never_lowers_any_action_score(scenario, data, delta):
    questionnaire, answers = scenario
    candidates = [
        (item, better)
        for item in questionnaire.items
        if item.code in answers and (better := raised(item, answers[item.code], delta)) is not None
    ]
    assume(candidates)
    item, better = data.draw(st.sampled_from(candidates))
    before = score(questionnaire, answers)
    after = score(questionnaire, {**answers, item.code: better})
    for action in ACTIONS:
        old, new = before.actions[action].score, after.actions[action].score
        assert (old is None) == (new is None)
        if old is not None:
            assert new >= old
        assert after.actions[action].coverage == before.actions[action].coverage


@SCENARIOS
@given(scenarios(), st.data())
def test_marking_an_item_na_changes_nothing_for_actions_it_does_not_count_towards(scenario, data):
    questionnaire, answers = scenario
    item = data.draw(st.sampled_from(questionnaire.items))
    before = score(questionnaire, answers)
    after = score(questionnaire, {**answers, item.code: Answer(not_applicable=True)})
    for action in ACTIONS:
        if action not in item.weights:
            assert after.actions[action] == before.actions[action]


@SCENARIOS
@given(scenarios(), st.randoms(use_true_random=False))
def test_the_order_of_answers_does_not_matter(scenario, rnd):
    questionnaire, answers = scenario
    pairs = list(answers.items())
    rnd.shuffle(pairs)
    shuffled = dict(pairs)
    assert score(questionnaire, shuffled) == score(questionnaire, answers)
    for action in ACTIONS:
        assert improvement_priorities(questionnaire, shuffled, action) == (
            improvement_priorities(questionnaire, answers, action)
        )
        assert strengths(questionnaire, shuffled, action) == strengths(
            questionnaire, answers, action
        )


def extreme_answer(item: ItemSpec, top: bool) -> Answer:
    if item.answer_type is AnswerType.MATURITY:
        return Answer(level=4 if top else 0)
    if item.answer_type is AnswerType.YES_NO:
        return Answer(yes=top)
    if top:
        return Answer(number=item.bands[3])
    return Answer(number=item.bands[0] + (-1 if item.higher_is_better else 1))


@PROPERTY
@given(questionnaires())
def test_all_fours_give_100_and_all_zeros_give_0_for_every_action_with_items(questionnaire):
    for top, expected in ((True, 100.0), (False, 0.0)):
        answers = {i.code: extreme_answer(i, top) for i in questionnaire.items}
        card = score(questionnaire, answers)
        for action in ACTIONS:
            if questionnaire.items_for_action(action):
                assert card.actions[action].score == expected
                assert card.actions[action].coverage == 1.0
        assert card.overall == expected


@SCENARIOS
@given(scenarios(), st.sampled_from(ACTIONS), st.integers(0, 6))
def test_priorities_and_strengths_are_bounded_lists_of_relevant_codes(scenario, action, limit):
    questionnaire, answers = scenario
    priorities = improvement_priorities(questionnaire, answers, action, limit)
    relevant = {i.code for i in questionnaire.items_for_action(action)}
    assert len(priorities) <= limit and set(priorities) <= relevant
    good = strengths(questionnaire, answers, action, limit)
    owned = {i.code: i for i in questionnaire.items_owned_by(action)}
    assert len(good) <= limit and set(good) <= set(owned)
    for code in good:
        assert points_for(owned[code], answers[code]) in (3, 4)


FINITE = st.floats(-1e6, 1e6)


@PROPERTY
@given(st.lists(FINITE, min_size=2, max_size=30))
def test_quartiles_match_the_inclusive_method_of_the_standard_library(values):
    q1, median, q3 = quartiles(values)
    expected = statistics.quantiles(values, n=4, method="inclusive")
    assert (q1, median, q3) == pytest.approx(expected, rel=1e-9, abs=1e-6)
    assert min(values) <= q1 <= median <= q3 <= max(values)


@PROPERTY
@given(FINITE, st.lists(FINITE, min_size=1, max_size=30), FINITE)
def test_percentile_rank_is_between_0_and_100_and_grows_with_the_value(value, peers, other):
    rank = percentile_rank(value, peers)
    assert 0.0 <= rank <= 100.0
    low, high = sorted((value, other))
    assert percentile_rank(low, peers) <= percentile_rank(high, peers)
    assert percentile_rank(value, [value] * len(peers)) == 50.0
