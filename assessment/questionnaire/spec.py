"""A published questionnaire version as the scoring engine reads it (`QuestionnaireSpec`)."""

from django.core.cache import cache

from assessment import scoring
from assessment.models import Item, Questionnaire


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


def spec_of_items(questionnaire: Questionnaire, items) -> scoring.QuestionnaireSpec:
    """The spec from `items` already read, in questionnaire order."""
    return scoring.QuestionnaireSpec(
        version=questionnaire.version, items=tuple(item_spec(item) for item in items)
    )


def questionnaire_spec(questionnaire: Questionnaire) -> scoring.QuestionnaireSpec:
    """The scoring definition of a published version (immutable, so safe to cache by version)."""
    key = f"questionnaire-spec:{questionnaire.version}:{questionnaire.source_hash[:16]}"
    spec = cache.get(key)
    if spec is None:
        items = Item.objects.filter(questionnaire=questionnaire).order_by("position")
        spec = spec_of_items(questionnaire, items)
        cache.set(key, spec, timeout=None)
    return spec
