"""Scores of record: the live scorecard of an assessment and the scores frozen on it.

A frozen score dict (`Scorecard.to_dict()`, stored as `submitted_scores` at submission and
`approved_scores` at approval) is parsed in one place, `FrozenScores.from_dict`; everything
else reads its attributes. Which scores a page shows is decided here too:

- `scores_of_record`: what coordinators compare (overview, heatmap, exports, review): the
  approved scores, else those of the last submission; a draft has none.
- `scores_to_show`: what the results page and the PDF show: the approved scores when there
  are any, else the live score of the current answers (provisional).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from assessment import scoring
from assessment.models import Answer, Assessment
from assessment.questionnaire.spec import questionnaire_spec


def answer_value(answer: Answer) -> scoring.Answer:
    return scoring.Answer(
        level=answer.level,
        yes=answer.yes,
        number=answer.number,
        not_applicable=answer.not_applicable,
    )


def scorecard_for(
    assessment: Assessment, answers: Iterable[Answer] | None = None
) -> scoring.Scorecard:
    """Score an assessment's current answers (two queries, or one when answers are given)."""
    spec = questionnaire_spec(assessment.questionnaire)
    if answers is None:
        answers = Answer.objects.filter(assessment=assessment).select_related("item")
    engine_answers = {a.item.code: answer_value(a) for a in answers}
    return scoring.score(spec, engine_answers)


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _band(value: object) -> scoring.Band | None:
    try:
        return scoring.Band(value) if isinstance(value, str) and value else None
    except ValueError:
        return None


@dataclass(frozen=True)
class ActionScores:
    score: float | None = None
    band: scoring.Band | None = None
    coverage: float = 0.0


@dataclass(frozen=True)
class FrozenScores:
    """One assessment's scores as frozen in the database (tolerant of missing parts)."""

    questionnaire_version: str = ""
    scoring_version: str = ""
    overall: float | None = None
    overall_band: scoring.Band | None = None
    actions: tuple[ActionScores, ...] = tuple(ActionScores() for _ in scoring.ACTIONS)

    @classmethod
    def from_dict(cls, data: object) -> "FrozenScores":
        data = data if isinstance(data, Mapping) else {}
        by_action = data.get("actions")
        by_action = by_action if isinstance(by_action, Mapping) else {}

        def action(number: int) -> ActionScores:
            entry = by_action.get(str(number))
            entry = entry if isinstance(entry, Mapping) else {}
            return ActionScores(
                score=_number(entry.get("score")),
                band=_band(entry.get("band")),
                coverage=_number(entry.get("coverage")) or 0.0,
            )

        return cls(
            questionnaire_version=str(data.get("questionnaire_version") or ""),
            scoring_version=str(data.get("scoring_version") or ""),
            overall=_number(data.get("overall")),
            overall_band=_band(data.get("overall_band")),
            actions=tuple(action(n) for n in scoring.ACTIONS),
        )

    @classmethod
    def of(cls, scorecard: scoring.Scorecard) -> "FrozenScores":
        """A live scorecard, rounded like the frozen ones."""
        return cls.from_dict(scorecard.to_dict())

    def action(self, number: int) -> ActionScores:
        return self.actions[scoring.ACTIONS.index(number)]

    def action_scores(self) -> dict[int, float | None]:
        return {n: a.score for n, a in zip(scoring.ACTIONS, self.actions, strict=True)}


def record_field(status: str) -> str | None:
    """The field holding an assessment's scores of record in `status` (None for a draft)."""
    if status == Assessment.Status.APPROVED:
        return "approved_scores"
    if status in (Assessment.Status.SUBMITTED, Assessment.Status.RETURNED):
        return "submitted_scores"
    return None


def scores_of_record(assessment: Assessment) -> FrozenScores | None:
    """The scores coordinators compare: at approval, else at the last submission (see above)."""
    field = record_field(assessment.status)
    frozen = getattr(assessment, field) if field else None
    return FrozenScores.from_dict(frozen) if frozen else None


def is_frozen(assessment: Assessment) -> bool:
    """Whether the results of `assessment` are its approved scores rather than live ones."""
    return assessment.status == Assessment.Status.APPROVED and bool(assessment.approved_scores)


def scores_to_show(assessment: Assessment, live: scoring.Scorecard | None = None) -> FrozenScores:
    """The results' scores (see above); `live` saves scoring again when it is at hand."""
    if is_frozen(assessment):
        return FrozenScores.from_dict(assessment.approved_scores)
    return FrozenScores.of(live if live is not None else scorecard_for(assessment))
