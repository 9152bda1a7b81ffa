"""How complete each language is, per file: the interface catalogue (django.po) and each
content file's translations. Read by `manage.py translation_status` and the coordinators'
translations page; both show the same figures.

A content entry is missing (no text) or outdated (its English source changed since it was
translated); a msgid of django.po is missing when untranslated or fuzzy. Where a language has
no file at all, everything in it is missing.
"""

from dataclasses import dataclass
from pathlib import Path

import polib
from django.conf import settings

from actions.translations import action_sources
from assessment.questionnaire.translations import current_questionnaire_catalogue
from assessment.wording import UNITS_FILE, unit_forms
from partnership.translations import partnership_sources
from portal.content_translations import FileStatus, content_root, file_status


def interface_status(language: str) -> FileStatus:
    path = Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po"
    name = f"locale/{language}/LC_MESSAGES/django.po"
    if not path.exists():
        return FileStatus(name, language, 0, (), ())
    entries = [e for e in polib.pofile(str(path)) if not e.obsolete]
    missing = tuple(
        e.msgid if not e.msgctxt else f"{e.msgctxt}|{e.msgid}"
        for e in entries
        if not e.translated()
    )
    return FileStatus(name, language, len(entries), missing, ())


def units_status(language: str) -> FileStatus:
    forms = unit_forms()
    missing = tuple(unit for unit, by_language in forms.items() if language not in by_language)
    name = str(UNITS_FILE.relative_to(settings.BASE_DIR))
    return FileStatus(name, language, len(forms), missing, ())


def content_statuses(language: str) -> list[FileStatus]:
    questionnaire_root, questionnaire = current_questionnaire_catalogue()
    catalogues = [
        (questionnaire_root, questionnaire),
        (content_root("actions"), action_sources()),
        (content_root("partnership"), partnership_sources()),
    ]
    return [
        file_status(
            name=_relative(root / f"{language}.yaml"), root=root, language=language, sources=s
        )
        for root, s in catalogues
    ] + [units_status(language)]


def _relative(path: Path) -> str:
    try:
        return str(path.relative_to(settings.BASE_DIR))
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class LanguageStatus:
    language: str
    name: str
    files: tuple[FileStatus, ...]

    @property
    def percent(self) -> float:
        total = sum(f.total for f in self.files)
        done = sum(f.translated for f in self.files)
        return 100.0 if not total else round(100.0 * done / total, 1)

    def to_dict(self) -> dict:
        return {
            "language": self.language,
            "name": self.name,
            "percent": self.percent,
            "files": [f.to_dict() for f in self.files],
        }


def translated_languages() -> list[tuple[str, str]]:
    """Every language offered besides English, the source: (code, name)."""
    return [(code, str(name)) for code, name in settings.LANGUAGES if code != "en"]


def language_status(language: str) -> LanguageStatus:
    names = dict(settings.EU_OFFICIAL_LANGUAGES)
    files = (interface_status(language), *content_statuses(language))
    return LanguageStatus(language, str(names.get(language, language)), files)
