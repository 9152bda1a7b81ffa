"""The what-if of an improvement plan is the scoring engine on the answers with the targets
applied: one engine, no second formula (properties over random questionnaires and plans)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.plans import apply_targets, what_if_scorecard
from assessment.scoring import (
    ACTIONS,
    Answer,
    AnswerType,
    ItemSpec,
    QuestionnaireSpec,
    points_for,
    score,
)

PROPERTY = settings(max_examples=150, deadline=None, database=None)
BANDS_UP = (10.0, 20.0, 30.0, 40.0)
BANDS_DOWN = (40.0, 30.0, 20.0, 10.0)


@st.composite
def items(draw, index: int) -> ItemSpec:
    action = draw(st.sampled_from(ACTIONS))
    weights = {action: draw(st.sampled_from([0.5, 1.0, 2.0]))}
    if draw(st.booleans()):
        weights[draw(st.sampled_from(ACTIONS))] = 1.0
    kind = draw(st.sampled_from(list(AnswerType)))
    higher = draw(st.booleans())
    return ItemSpec(
        code=f"A{action}.{index}",
        action=action,
        answer_type=kind,
        weights=weights,
        allow_na=draw(st.booleans()),
        bands=(BANDS_UP if higher else BANDS_DOWN) if kind is AnswerType.NUMBER else (),
        higher_is_better=higher,
    )


def values(item: ItemSpec):
    if item.answer_type is AnswerType.MATURITY:
        return st.builds(Answer, level=st.integers(0, 4))
    if item.answer_type is AnswerType.YES_NO:
        return st.builds(Answer, yes=st.booleans())
    return st.builds(Answer, number=st.integers(0, 50).map(float))


@st.composite
def scenarios(draw):
    """A questionnaire, answers (some missing or N/A) and targets on some items."""
    count = draw(st.integers(1, 14))
    spec = QuestionnaireSpec(version="t", items=tuple(draw(items(i)) for i in range(count)))
    answers, targets = {}, {}
    for item in spec.items:
        state = draw(st.sampled_from(["answered", "answered", "missing", "na"]))
        if state == "answered":
            answers[item.code] = draw(values(item))
        elif state == "na":
            answers[item.code] = Answer(not_applicable=True)
        if draw(st.booleans()):
            targets[item.code] = draw(values(item))
    return spec, answers, targets


def scores(card) -> list[float | None]:
    return [card.overall, *(card.actions[n].score for n in ACTIONS)]


def never_lower(before: list[float | None], after: list[float | None]) -> bool:
    return all(
        b is None or (a is not None and a >= b - 1e-9) for b, a in zip(before, after, strict=True)
    )


@PROPERTY
@given(scenarios())
def test_the_what_if_without_targets_is_todays_scorecard(scenario):
    spec, answers, _ = scenario
    assert what_if_scorecard(spec, answers, {}) == score(spec, answers)


@PROPERTY
@given(scenarios())
def test_the_what_if_is_score_on_the_answers_with_the_targets_applied(scenario):
    spec, answers, targets = scenario
    by_hand = dict(answers)
    for item in spec.items:
        target = targets.get(item.code)
        today = answers.get(item.code)
        if target is None:
            continue
        today_points = None if today is None else points_for(item, today)
        if today_points is None or points_for(item, target) > today_points:
            by_hand[item.code] = target
    assert what_if_scorecard(spec, answers, targets) == score(spec, by_hand)


def raised(item: ItemSpec, target: Answer) -> Answer:
    """The same target one step better (as far as the item allows)."""
    if item.answer_type is AnswerType.MATURITY:
        return Answer(level=min(4, (target.level or 0) + 1))
    if item.answer_type is AnswerType.YES_NO:
        return Answer(yes=True)
    step = 10.0 if item.higher_is_better else -10.0
    return Answer(number=min(50.0, max(0.0, float(target.number or 0) + step)))


@PROPERTY
@given(scenarios(), st.data())
def test_raising_any_target_never_lowers_any_score(scenario, data):
    spec, answers, targets = scenario
    if not targets:
        return
    code = data.draw(st.sampled_from(sorted(targets)))
    item = next(i for i in spec.items if i.code == code)
    higher = {**targets, code: raised(item, targets[code])}
    before = scores(what_if_scorecard(spec, answers, targets))
    after = scores(what_if_scorecard(spec, answers, higher))
    assert never_lower(before, after)


@PROPERTY
@given(scenarios())
def test_a_target_never_takes_an_answered_item_below_todays_points(scenario):
    spec, answers, targets = scenario
    applied = apply_targets(spec, answers, targets)
    for item in spec.items:
        today = answers.get(item.code)
        if today is not None and points_for(item, today) is not None:
            assert points_for(item, applied[item.code]) >= points_for(item, today)


@PROPERTY
@given(scenarios())
def test_targets_at_or_above_every_answer_never_lower_a_score_of_an_answered_action(scenario):
    """With every item answered (no N/A), reaching targets can only raise the scores."""
    spec, answers, targets = scenario
    full = {
        item.code: answers[item.code]
        if item.code in answers and points_for(item, answers[item.code]) is not None
        else Answer(level=0, yes=False, number=0.0 if item.higher_is_better else 50.0)
        for item in spec.items
    }
    before = scores(score(spec, full))
    after = scores(what_if_scorecard(spec, full, targets))
    assert never_lower(before, after)
