"""Pure scoring engine for the self-assessment questionnaire.

No Django, no I/O: questionnaire and answers in, scorecard out. The rule is
documented for non-technical readers in ``assessment/SCORING.md``.

* Every answered item gives 0-4 points (maturity level; yes = 4, no = 0;
  numbers through their four declared band thresholds).
* Action score = 100 x sum(weight x points) / sum(weight x 4) over the
  applicable answered items counting towards that Action. N/A and unanswered
  items leave both sums. No such item => no score (``None``), never zero.
* Coverage = weighted share of the Action's items answered or N/A (0..1).
* Overall index = mean of the Action scores that exist (``None`` if none).
* Bands on the unrounded score: < 25 initial, < 50 developing,
  < 75 established, otherwise advanced.

Nothing is rounded here except in the display helpers :func:`round_score` and
:func:`round_coverage` (used by :meth:`Scorecard.to_dict`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any, Generic, TypeVar

__all__ = [
    "ACTIONS",
    "MAX_POINTS",
    "SCORING_VERSION",
    "ActionScore",
    "Answer",
    "AnswerType",
    "Band",
    "BandRange",
    "Contribution",
    "FrozenMapping",
    "ItemSpec",
    "QuestionnaireSpec",
    "Scorecard",
    "band_for",
    "band_ladder",
    "finite_float",
    "improvement_priorities",
    "points_for",
    "round_coverage",
    "round_score",
    "score",
    "strengths",
]

SCORING_VERSION = "1.0"
ACTIONS = (1, 2, 3, 4, 5, 6)
MAX_POINTS = 4
"""Fewer peers than this => no peer statistics are shown (enforced by the caller)."""

# Lower bounds (inclusive) of the bands above Initial, on the unrounded score.
_BAND_FLOORS = ((75.0, "advanced"), (50.0, "established"), (25.0, "developing"))


_K = TypeVar("_K")
_V = TypeVar("_V")


class FrozenMapping(Mapping[_K, _V], Generic[_K, _V]):
    """Read-only, hashable, picklable mapping (keeps frozen dataclasses frozen)."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[_K, _V] | None = None) -> None:
        self._data: dict[_K, _V] = dict(data or {})

    def __getitem__(self, key: _K) -> _V:
        return self._data[key]

    def __iter__(self) -> Any:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        return hash(frozenset(self._data.items()))

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self._data,))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._data!r})"


class AnswerType(StrEnum):
    """How an item is answered."""

    MATURITY = "maturity"
    YES_NO = "yes_no"
    NUMBER = "number"


class Band(StrEnum):
    """Maturity band of a score."""

    INITIAL = "initial"
    DEVELOPING = "developing"
    ESTABLISHED = "established"
    ADVANCED = "advanced"


def finite_float(value: float | int | Decimal, what: str) -> float:
    """Convert a finite real number to float, or raise ValueError."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueError(f"{what} must be a number, got {value!r}")
    result = float(value)
    if not math.isfinite(result):
        raise ValueError(f"{what} must be finite, got {value!r}")
    return result


@dataclass(frozen=True)
class ItemSpec:
    """One questionnaire item.

    ``weights`` maps each Action the item counts towards to a positive weight,
    e.g. ``{3: 1.0, 6: 0.5}``. Number items need exactly four ``bands``:
    increasing when ``higher_is_better`` (value >= bands[i] earns i+1 points),
    decreasing otherwise (value <= bands[i] earns i+1 points).
    ``required`` is informational for the web layer; the engine ignores it.
    """

    code: str
    action: int
    answer_type: AnswerType
    weights: Mapping[int, float]
    allow_na: bool = False
    bands: tuple[float, ...] = ()
    higher_is_better: bool = True
    required: bool = True

    def __post_init__(self) -> None:
        if not self.code:
            raise ValueError("item code must not be empty")
        if self.action not in ACTIONS:
            raise ValueError(f"{self.code}: action {self.action!r} not in {ACTIONS}")
        object.__setattr__(self, "answer_type", AnswerType(self.answer_type))
        weights: dict[int, float] = {}
        for action, weight in dict(self.weights).items():
            if action not in ACTIONS:
                raise ValueError(f"{self.code}: weight for unknown action {action!r}")
            w = finite_float(weight, f"{self.code}: weight for action {action}")
            if w <= 0:
                raise ValueError(f"{self.code}: weight for action {action} must be > 0")
            weights[int(action)] = w
        if not weights:
            raise ValueError(f"{self.code}: item must count towards at least one action")
        object.__setattr__(self, "weights", FrozenMapping(weights))
        bands = tuple(finite_float(b, f"{self.code}: band") for b in self.bands)
        if self.answer_type is AnswerType.NUMBER:
            if len(bands) != MAX_POINTS:
                raise ValueError(f"{self.code}: number items need {MAX_POINTS} bands")
            pairs = list(zip(bands, bands[1:], strict=False))
            ordered = (
                all(a <= b for a, b in pairs)
                if self.higher_is_better
                else all(a >= b for a, b in pairs)
            )
            if not ordered:
                direction = "increasing" if self.higher_is_better else "decreasing"
                raise ValueError(f"{self.code}: bands must be {direction}")
        elif bands:
            raise ValueError(f"{self.code}: only number items have bands")
        object.__setattr__(self, "bands", bands)

    def weight_for(self, action: int) -> float:
        """Weight towards ``action`` (0.0 when the item does not count towards it)."""
        return self.weights.get(action, 0.0)


@dataclass(frozen=True)
class QuestionnaireSpec:
    """A versioned questionnaire: items in questionnaire order, codes unique."""

    version: str
    items: tuple[ItemSpec, ...]

    def __post_init__(self) -> None:
        items = tuple(self.items)
        seen: set[str] = set()
        for item in items:
            if item.code in seen:
                raise ValueError(f"duplicate item code {item.code!r}")
            seen.add(item.code)
        object.__setattr__(self, "items", items)

    def items_for_action(self, action: int) -> tuple[ItemSpec, ...]:
        """Items counting towards ``action`` (having a weight for it), in order."""
        return tuple(item for item in self.items if action in item.weights)

    def items_owned_by(self, action: int) -> tuple[ItemSpec, ...]:
        """Items belonging to ``action``'s own section, in order."""
        return tuple(item for item in self.items if item.action == action)


@dataclass(frozen=True)
class Answer:
    """An answer to one item; only the field matching the item's type is read."""

    level: int | None = None
    yes: bool | None = None
    number: float | Decimal | None = None
    not_applicable: bool = False

    @property
    def is_answered(self) -> bool:
        """True when marked N/A or any value is present."""
        return self.not_applicable or any(
            v is not None for v in (self.level, self.yes, self.number)
        )


_UNANSWERED = Answer()


def _is_na(item: ItemSpec, answer: Answer) -> bool:
    """A valid N/A: flagged and allowed by the item."""
    return answer.not_applicable and item.allow_na


def points_for(item: ItemSpec, answer: Answer) -> int | None:
    """Points 0-4 for ``answer``, or None when N/A or unanswered.

    An N/A flag on an item that does not allow N/A counts as unanswered.
    Raises ValueError for a maturity level outside 0-4 or a non-finite number.
    """
    if answer.not_applicable:
        return None
    if item.answer_type is AnswerType.MATURITY:
        level = answer.level
        if level is None:
            return None
        if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= MAX_POINTS:
            raise ValueError(f"{item.code}: maturity level must be 0-{MAX_POINTS}, got {level!r}")
        return level
    if item.answer_type is AnswerType.YES_NO:
        if answer.yes is None:
            return None
        return MAX_POINTS if answer.yes else 0
    if answer.number is None:
        return None
    value = finite_float(answer.number, f"{item.code}: number")
    points = 0
    for i, threshold in enumerate(item.bands):
        reached = value >= threshold if item.higher_is_better else value <= threshold
        if reached:
            points = i + 1
    return points


def band_for(score: float | None) -> Band | None:
    """Band of an unrounded score (None for no score)."""
    if score is None:
        return None
    if math.isnan(score):
        raise ValueError("score must not be NaN")
    for floor, band in _BAND_FLOORS:
        if score >= floor:
            return Band(band)
    return Band.INITIAL


@dataclass(frozen=True)
class BandRange:
    """One rung of the band ladder: scores from ``floor`` (inclusive) to ``ceiling``
    (exclusive; None for the top band)."""

    band: Band
    floor: float
    ceiling: float | None


def band_ladder() -> tuple[BandRange, ...]:
    """The bands from Initial up with their score ranges, as :func:`band_for` applies them."""
    floors = [(0.0, Band.INITIAL.value), *sorted(_BAND_FLOORS)]
    ceilings = [floor for floor, _ in floors[1:]] + [None]
    return tuple(
        BandRange(band=Band(band), floor=floor, ceiling=ceiling)
        for (floor, band), ceiling in zip(floors, ceilings, strict=True)
    )


def round_score(value: float | None) -> float | None:
    """Display helper: a score rounded to one decimal (None stays None)."""
    return None if value is None else round(value, 1)


def round_coverage(value: float) -> float:
    """Display helper: a coverage share rounded to three decimals."""
    return round(value, 3)


@dataclass(frozen=True)
class Contribution:
    """How one item feeds one Action.

    ``weight`` is the weight towards that Action; ``points`` is None when N/A
    or unanswered; ``answered`` is True when the item has a value or a valid N/A
    (i.e. it counts for coverage).
    """

    code: str
    weight: float
    points: int | None
    not_applicable: bool
    answered: bool


@dataclass(frozen=True)
class ActionScore:
    """Result for one Action; ``score``/``band`` are None when nothing applicable was answered."""

    action: int
    score: float | None
    band: Band | None
    coverage: float
    contributions: tuple[Contribution, ...] = field(default=())


@dataclass(frozen=True)
class Scorecard:
    """All six Action results plus the overall index."""

    questionnaire_version: str
    scoring_version: str
    actions: Mapping[int, ActionScore]
    overall: float | None
    overall_band: Band | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary; scores rounded to 1 decimal, coverage to 3."""
        return {
            "questionnaire_version": self.questionnaire_version,
            "scoring_version": self.scoring_version,
            "overall": round_score(self.overall),
            "overall_band": None if self.overall_band is None else self.overall_band.value,
            "actions": {
                str(n): {
                    "score": round_score(a.score),
                    "band": None if a.band is None else a.band.value,
                    "coverage": round_coverage(a.coverage),
                }
                for n, a in sorted(self.actions.items())
            },
        }


def _score_action(
    questionnaire: QuestionnaireSpec, answers: Mapping[str, Answer], action: int
) -> ActionScore:
    contributions: list[Contribution] = []
    earned: list[float] = []
    possible: list[float] = []
    covered: list[float] = []
    total: list[float] = []
    for item in questionnaire.items_for_action(action):
        answer = answers.get(item.code, _UNANSWERED)
        weight = item.weights[action]
        na = _is_na(item, answer)
        points = points_for(item, answer)
        answered = na or points is not None
        contributions.append(
            Contribution(
                code=item.code, weight=weight, points=points, not_applicable=na, answered=answered
            )
        )
        total.append(weight)
        if answered:
            covered.append(weight)
        if points is not None:
            earned.append(weight * points)
            possible.append(weight * MAX_POINTS)
    # fsum of identical terms is identical, so all-4 gives exactly 100.0.
    value = 100.0 * (math.fsum(earned) / math.fsum(possible)) if possible else None
    coverage = math.fsum(covered) / math.fsum(total) if total else 0.0
    return ActionScore(
        action=action,
        score=value,
        band=band_for(value),
        coverage=coverage,
        contributions=tuple(contributions),
    )


def score(questionnaire: QuestionnaireSpec, answers: Mapping[str, Answer]) -> Scorecard:
    """Score ``answers`` (keyed by item code) against ``questionnaire``.

    Answers for unknown codes are ignored. Raises ValueError for invalid values.
    """
    actions = {n: _score_action(questionnaire, answers, n) for n in ACTIONS}
    present = [a.score for a in actions.values() if a.score is not None]
    overall = math.fsum(present) / len(present) if present else None
    return Scorecard(
        questionnaire_version=questionnaire.version,
        scoring_version=SCORING_VERSION,
        actions=FrozenMapping(actions),
        overall=overall,
        overall_band=band_for(overall),
    )


def _check_limit(limit: int) -> None:
    if limit < 0:
        raise ValueError("limit must be >= 0")


def improvement_priorities(
    questionnaire: QuestionnaireSpec, answers: Mapping[str, Answer], action: int, limit: int = 3
) -> list[str]:
    """Codes of items counting towards ``action`` that lose the most weighted points.

    Lost = weight x (4 - points); unanswered items count as 0 points, N/A items
    are excluded, items losing nothing are left out; ties keep questionnaire order.
    """
    _check_limit(limit)
    ranked: list[tuple[float, int, str]] = []
    for index, item in enumerate(questionnaire.items_for_action(action)):
        answer = answers.get(item.code, _UNANSWERED)
        if _is_na(item, answer):
            continue
        points = points_for(item, answer) or 0
        lost = item.weights[action] * (MAX_POINTS - points)
        if lost > 0:
            ranked.append((-lost, index, item.code))
    ranked.sort()
    return [code for _, _, code in ranked[:limit]]


def strengths(
    questionnaire: QuestionnaireSpec, answers: Mapping[str, Answer], action: int, limit: int = 3
) -> list[str]:
    """Codes of items owned by ``action`` answered at 3-4 points.

    Highest weight x points first (weight towards ``action``, 0 if the item has
    none); ties keep questionnaire order.
    """
    _check_limit(limit)
    ranked: list[tuple[float, int, str]] = []
    for index, item in enumerate(questionnaire.items_owned_by(action)):
        points = points_for(item, answers.get(item.code, _UNANSWERED))
        if points is not None and points >= MAX_POINTS - 1:
            ranked.append((-item.weight_for(action) * points, index, item.code))
    ranked.sort()
    return [code for _, _, code in ranked[:limit]]
