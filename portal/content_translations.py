"""Translations of the content (questionnaire, Actions, partnership pages) as data: the one
loader (a toolbox module: it imports no app).

A catalogue is one YAML file `<root>/<language>.yaml` beside the English content it translates.
Each entry keeps the English source it was made from:

    strings:
      "item.A1.1.question": {source: "Has the city ...?", text: "La ville a-t-elle ...?"}

The text of a key is the translation only while its `source` equals today's English source;
otherwise (missing, blank or outdated) it is the English source, marked as a fallback so that
pages put `lang="en"` on it (WCAG 3.1.2). Never a blank.

Files are static and versioned: each is parsed once per process and parsed again when its
modification time changes (the cache is keyed by path and mtime, so nothing mutable is kept).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from django import forms
from django.conf import settings
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language

SOURCE_LANGUAGE = "en"


def same_source(a: str, b: str) -> bool:
    """Sources compare without their surrounding whitespace (YAML block scalars add a newline)."""
    return a.strip() == b.strip()


class ShownText(str):
    """One piece of content as a page shows it: the text (it is a `str`) and its language.

    In a template `{{ shown }}` is the escaped text, inside `<span lang="en">` when it is the
    English fallback of another language's page. Where a span cannot go (an attribute, an
    <option>, <title>), write `{{ shown.text }}` and put `{{ shown.lang_attr }}` on the element.
    Joined into other text (`%`, f-strings) it is plain text.
    """

    language: str
    fallback: bool

    def __new__(cls, text: str, language: str, fallback: bool = False) -> ShownText:
        shown = super().__new__(cls, text)
        shown.language = language
        shown.fallback = fallback
        return shown

    def __reduce__(self):
        return (ShownText, (self.text, self.language, self.fallback))

    def __repr__(self) -> str:
        return f"ShownText({self.text!r}, {self.language!r}, fallback={self.fallback})"

    @property
    def text(self) -> str:
        return str.__str__(self)

    def __html__(self) -> SafeString:
        if self.fallback:
            return format_html('<span lang="{}">{}</span>', self.language, self.text)
        return escape(self.text)

    @property
    def lang_attr(self) -> SafeString:
        """` lang="en"` for a fallback, else nothing: for the element that holds the text."""
        if self.fallback:
            return format_html(' lang="{}"', self.language)
        return SafeString("")


@dataclass(frozen=True)
class Entry:
    source: str
    text: str


@dataclass(frozen=True)
class Catalogue:
    """One language's translations of one content file."""

    path: Path
    language: str
    source_file: str
    source_version: str
    revision: int
    entries: Mapping[str, Entry]

    def entry_state(self, key: str, source: str) -> str:
        """ "translated", "missing" (no entry or a blank text) or "outdated" (source changed)."""
        entry = self.entries.get(key)
        if entry is None or not entry.text.strip():
            return "missing"
        return "translated" if same_source(entry.source, source) else "outdated"


def _parse(path: Path, language: str) -> Catalogue:
    with open(path, encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle) or {}
    strings = data.get("strings") or {}
    entries = {
        str(key): Entry(str(value.get("source") or ""), str(value.get("text") or "").strip())
        for key, value in strings.items()
        if isinstance(value, dict)
    }
    return Catalogue(
        path=path,
        language=str(data.get("language") or language),
        source_file=str(data.get("source_file") or ""),
        source_version=str(data.get("source_version") or ""),
        revision=int(data.get("revision") or 0),
        entries=entries,
    )


@lru_cache(maxsize=256)
def _parsed(path: Path, language: str, mtime_ns: int) -> Catalogue:
    return _parse(path, language)


def catalogue(root: Path, language: str) -> Catalogue | None:
    """The catalogue of `language` under `root`, or None where the language has no file."""
    path = Path(root) / f"{language}.yaml"
    try:
        mtime_ns = path.stat().st_mtime_ns
    except (FileNotFoundError, NotADirectoryError):
        return None
    return _parsed(path, language, mtime_ns)


def content_root(kind: str, *parts: str) -> Path:
    """The folder of one kind of content's catalogues (`settings.CONTENT_TRANSLATION_ROOTS`)."""
    return Path(settings.CONTENT_TRANSLATION_ROOTS[kind]).joinpath(*parts)


def shown_text(*, root: Path, key: str, source: str, language: str | None = None) -> ShownText:
    """The text of `key` in `language` (default: the active one) for today's English `source`."""
    language = (language or get_language() or SOURCE_LANGUAGE).split("-")[0]
    if language == SOURCE_LANGUAGE or not source:
        return ShownText(source, SOURCE_LANGUAGE)
    found = catalogue(root, language)
    if found is not None and found.entry_state(key, source) == "translated":
        return ShownText(found.entries[key].text, language)
    return ShownText(source, SOURCE_LANGUAGE, fallback=True)


class Texts:
    """An object's content fields in the active language, for templates: `{{ item.tr.question }}`.

    `fields` maps a field name to its (key, English source), or to a list of them (the levels).
    """

    def __init__(self, root: Path, fields: Mapping[str, Any]) -> None:
        self._root = root
        self._fields = fields

    def __getattr__(self, name: str) -> Any:
        try:
            spec = self._fields[name]
        except KeyError:
            raise AttributeError(name) from None
        if isinstance(spec, list):
            return [shown_text(root=self._root, key=k, source=s) for k, s in spec]
        return shown_text(root=self._root, key=spec[0], source=spec[1])


def revision(root: Path, language: str | None = None) -> int:
    """The revision of `language`'s catalogue under `root` (0: English or no file)."""
    language = (language or get_language() or SOURCE_LANGUAGE).split("-")[0]
    found = None if language == SOURCE_LANGUAGE else catalogue(root, language)
    return found.revision if found is not None else 0


@dataclass(frozen=True)
class FileStatus:
    """How complete one language's catalogue of one content file is."""

    name: str
    language: str
    total: int
    missing: tuple[str, ...]
    outdated: tuple[str, ...]
    revision: int = 0

    @property
    def translated(self) -> int:
        return self.total - len(self.missing) - len(self.outdated)

    @property
    def percent(self) -> float:
        return 100.0 if not self.total else round(100.0 * self.translated / self.total, 1)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.name,
            "language": self.language,
            "total": self.total,
            "translated": self.translated,
            "percent": self.percent,
            "missing": list(self.missing),
            "outdated": list(self.outdated),
            "revision": self.revision,
        }


def file_status(*, name: str, root: Path, language: str, sources: Mapping[str, str]) -> FileStatus:
    """Compare `language`'s catalogue under `root` with today's English `sources` (key → text)."""
    found = catalogue(root, language)
    keys = [key for key, source in sources.items() if source.strip()]
    if found is None:
        return FileStatus(name, language, len(keys), tuple(keys), ())
    states = {key: found.entry_state(key, sources[key]) for key in keys}
    return FileStatus(
        name,
        language,
        len(keys),
        tuple(k for k, s in states.items() if s == "missing"),
        tuple(k for k, s in states.items() if s == "outdated"),
        found.revision,
    )


class LanguageMarkedSelect(forms.Select):
    """A <select> whose <option>s carry `lang` where their label is an English fallback (a
    span cannot go inside an <option>)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if isinstance(label, ShownText):
            option["label"] = label.text  # the mark goes on the <option>, not inside it
            if label.fallback:
                option["attrs"] = {**option["attrs"], "lang": label.language}
        return option


def prefixed(prefix: str, shown: ShownText) -> ShownText:
    """`shown` after a prefix that reads the same in every language ("3. "), keeping its
    language."""
    return ShownText(f"{prefix}{shown.text}", shown.language, shown.fallback)
