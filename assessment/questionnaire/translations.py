"""The questionnaire's translatable texts, keyed as its catalogues key them
(`questionnaires/i18n/<version>/<language>.yaml`, read by `portal.content_translations`)."""

from dataclasses import asdict, dataclass
from pathlib import Path

from assessment.questionnaire.loader import CURRENT_QUESTIONNAIRE_FILE, read_definition
from portal.content_translations import SOURCE_LANGUAGE, content_root, revision

# Units are not here: their forms after a number live in questionnaires/units.yaml.
ITEM_FIELDS = ("question", "help", "guidance")


def questionnaire_sources(definition: dict) -> dict[str, str]:
    """Key → today's English text, for every text of a questionnaire definition."""
    sources = {
        "title": definition.get("title", ""),
        "description": definition.get("description", ""),
    }
    for position, section in enumerate(definition["sections"], start=1):
        sources[f"section.{position}.intro"] = section.get("intro", "")
        for item in section["items"]:
            key = f"item.{item['code']}"
            for field in ITEM_FIELDS:
                sources[f"{key}.{field}"] = str(item.get(field) or "")
            for level, text in sorted((item.get("levels") or {}).items()):
                sources[f"{key}.level.{level}"] = text
    return {key: text for key, text in sources.items() if text.strip()}


def current_questionnaire_catalogue(path: Path = CURRENT_QUESTIONNAIRE_FILE) -> tuple[Path, dict]:
    """The folder of the current questionnaire's catalogues and its English sources."""
    definition = read_definition(path)
    return content_root("questionnaire", str(definition["version"])), questionnaire_sources(
        definition
    )


@dataclass(frozen=True)
class TranslationRevision:
    """Which wording of the content a page or report in `language` used: the revision of the
    questionnaire version's catalogue and of the Actions' (0: English, the source). Correcting
    a wording bumps a revision; it never changes the questionnaire version or any score."""

    language: str
    questionnaire_version: str
    questionnaire: int
    actions: int

    @property
    def is_source(self) -> bool:
        return self.language == SOURCE_LANGUAGE

    def to_dict(self) -> dict:
        return asdict(self)


def translation_revision(*, language: str, questionnaire_version: str) -> TranslationRevision:
    return TranslationRevision(
        language=language,
        questionnaire_version=questionnaire_version,
        questionnaire=revision(content_root("questionnaire", questionnaire_version), language),
        actions=revision(content_root("actions"), language),
    )
