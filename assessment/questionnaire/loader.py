"""Load a versioned questionnaire file into the database, refusing to change a published one."""

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from actions.models import Action
from assessment.models import AnswerType, Dimension, Item, Questionnaire, Section
from portal.content import read_yaml

QUESTIONNAIRE_DIR = Path(__file__).resolve().parent.parent / "questionnaires"
CURRENT_QUESTIONNAIRE_FILE = QUESTIONNAIRE_DIR / "2024.yaml"


class QuestionnaireError(ValueError):
    """The file is invalid, or would change a version that is already published."""


@dataclass(frozen=True)
class LoadResult:
    questionnaire: Questionnaire
    created: bool


def definition_hash(definition: dict) -> str:
    canonical = json.dumps(definition, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def read_definition(path: Path) -> dict:
    definition = read_yaml(path)
    validate_definition(definition)
    return definition


def validate_definition(definition: dict) -> None:
    """Reject a definition that the scoring engine or the forms could not handle."""
    if not isinstance(definition, dict) or not definition.get("version"):
        raise QuestionnaireError("The questionnaire needs a version.")
    codes = set()
    for section in definition.get("sections", []):
        action = section.get("action")
        if action not in range(1, 7):
            raise QuestionnaireError(f"Unknown Action {action!r} in a section.")
        for item in section.get("items", []):
            code = item.get("code", "")
            where = f"Item {code or '(no code)'}"
            if not code.startswith(f"A{action}.") or code in codes:
                raise QuestionnaireError(f"{where}: codes must be unique and start with A{action}.")
            codes.add(code)
            if item.get("type") not in AnswerType.values:
                raise QuestionnaireError(f"{where}: unknown answer type {item.get('type')!r}.")
            if item.get("dimension") not in Dimension.values:
                raise QuestionnaireError(f"{where}: unknown dimension {item.get('dimension')!r}.")
            weights = {int(k): float(v) for k, v in (item.get("weights") or {}).items()}
            if weights.get(action) != 1.0 or not all(
                k in range(1, 7) and 0 < v <= 1 for k, v in weights.items()
            ):
                raise QuestionnaireError(f"{where}: weights need its own Action at 1.0.")
            if item["type"] == AnswerType.MATURITY and sorted(item.get("levels", {})) != [
                0,
                1,
                2,
                3,
                4,
            ]:
                raise QuestionnaireError(f"{where}: a maturity item describes levels 0 to 4.")
            if item["type"] == AnswerType.NUMBER:
                validate_number_item(where, item)
    if not codes:
        raise QuestionnaireError("The questionnaire has no items.")


def validate_number_item(where: str, item: dict) -> None:
    bands = [float(b) for b in item.get("bands", [])]
    low, high = item.get("min"), item.get("max")
    if len(bands) != 4 or low is None or high is None or not low < high:
        raise QuestionnaireError(f"{where}: a number item needs min < max and four bands.")
    ordered = sorted(bands) if item.get("higher_is_better", True) else sorted(bands, reverse=True)
    if bands != ordered or len(set(bands)) != 4:
        raise QuestionnaireError(f"{where}: bands must be strictly ordered.")


@transaction.atomic
def load_questionnaire(
    path: Path = CURRENT_QUESTIONNAIRE_FILE, *, make_current: bool = True
) -> LoadResult:
    """Create the questionnaire version from `path`; loading the same file again is a no-op."""
    definition = read_definition(path)
    version = str(definition["version"])
    source_hash = definition_hash(definition)
    existing = Questionnaire.objects.filter(version=version).first()
    if existing is not None:
        if existing.source_hash != source_hash:
            raise QuestionnaireError(
                f"Questionnaire version {version} is already published and {path.name} differs "
                "from it. Published versions never change: give the edited file a new version."
            )
        if make_current and not existing.is_current:
            set_current(existing)
        return LoadResult(existing, created=False)

    questionnaire = Questionnaire.objects.create(
        version=version,
        title=definition.get("title", ""),
        description=definition.get("description", ""),
        source_hash=source_hash,
    )
    actions = {a.number: a for a in Action.objects.all()}
    missing = {s["action"] for s in definition["sections"]} - set(actions)
    if missing:
        raise QuestionnaireError(f"Load the Actions first; missing: {sorted(missing)}.")
    position = 0
    items = []
    for section_position, section_def in enumerate(definition["sections"], start=1):
        section = Section.objects.create(
            questionnaire=questionnaire,
            action=actions[section_def["action"]],
            position=section_position,
            intro=section_def.get("intro", ""),
        )
        for item_def in section_def["items"]:
            position += 1
            items.append(build_item(questionnaire, section, position, item_def))
    Item.objects.bulk_create(items)
    if make_current:
        set_current(questionnaire)
    return LoadResult(questionnaire, created=True)


def build_item(questionnaire: Questionnaire, section: Section, position: int, d: dict) -> Item:
    levels = d.get("levels") or {}
    return Item(
        questionnaire=questionnaire,
        section=section,
        code=d["code"],
        position=position,
        question=d["question"],
        help_text=d.get("help", ""),
        answer_type=d["type"],
        allow_na=bool(d.get("allow_na", False)),
        required=bool(d.get("required", True)),
        dimension=d["dimension"],
        guidance=d.get("guidance", ""),
        levels=[levels[level] for level in range(5)] if levels else [],
        unit=d.get("unit", ""),
        min_value=Decimal(str(d["min"])) if d.get("min") is not None else None,
        max_value=Decimal(str(d["max"])) if d.get("max") is not None else None,
        bands=[float(b) for b in d.get("bands", [])],
        higher_is_better=bool(d.get("higher_is_better", True)),
        weights={str(k): float(v) for k, v in d["weights"].items()},
    )


def set_current(questionnaire: Questionnaire) -> None:
    Questionnaire.objects.exclude(pk=questionnaire.pk).filter(is_current=True).update(
        is_current=False
    )
    Questionnaire.objects.filter(pk=questionnaire.pk).update(is_current=True)
    questionnaire.is_current = True
