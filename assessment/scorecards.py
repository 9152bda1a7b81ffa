"""Bridge between the database and the pure scoring engine."""

from collections.abc import Iterable

from django.core.cache import cache

from assessment import scoring
from assessment.models import Answer, Assessment, Item, Questionnaire


def item_spec(item: Item) -> scoring.ItemSpec:
    return scoring.ItemSpec(
        code=item.code,
        action=item.action_number,
        answer_type=scoring.AnswerType(item.answer_type),
        weights={int(k): float(v) for k, v in item.weights.items()},
        allow_na=item.allow_na,
        bands=tuple(float(b) for b in item.bands),
        higher_is_better=item.higher_is_better,
        required=item.required,
    )


def questionnaire_spec(questionnaire: Questionnaire) -> scoring.QuestionnaireSpec:
    """The scoring definition of a published version (immutable, so safe to cache by version)."""
    key = f"questionnaire-spec:{questionnaire.version}:{questionnaire.source_hash[:16]}"
    spec = cache.get(key)
    if spec is None:
        items = Item.objects.filter(questionnaire=questionnaire).order_by("position")
        spec = scoring.QuestionnaireSpec(
            version=questionnaire.version, items=tuple(item_spec(item) for item in items)
        )
        cache.set(key, spec, timeout=None)
    return spec


def answer_value(answer: Answer) -> scoring.Answer:
    return scoring.Answer(
        level=answer.level,
        yes=answer.yes,
        number=answer.number,
        not_applicable=answer.not_applicable,
    )


def answers_by_code(answers: Iterable[Answer], codes: dict[int, str]) -> dict[str, scoring.Answer]:
    """Engine answers keyed by item code; `codes` maps item id to code."""
    return {codes[a.item_id]: answer_value(a) for a in answers if a.item_id in codes}


def item_codes(questionnaire: Questionnaire) -> dict[int, str]:
    return dict(Item.objects.filter(questionnaire=questionnaire).values_list("pk", "code"))


def scorecard_for(assessment: Assessment, answers: Iterable[Answer] | None = None
                  ) -> scoring.Scorecard:
    """Score an assessment's current answers (two queries, or one when answers are given)."""
    spec = questionnaire_spec(assessment.questionnaire)
    if answers is None:
        answers = Answer.objects.filter(assessment=assessment).select_related("item")
    engine_answers = {a.item.code: answer_value(a) for a in answers}
    return scoring.score(spec, engine_answers)
