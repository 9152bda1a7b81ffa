"""English left untranslated: which English source strings a page or a PDF shows in another
language.

The sources are every msgid of the interface (`locale/<lang>/LC_MESSAGES/django.po`) and every
`source` of the content translation files (`*/i18n/*.yaml`), each kept only where the
language's translation differs from it. A short source (three words or fewer) counts only when
a whole piece of text is exactly it (a button, a heading, an option); a longer one counts
wherever it appears, and so does every sentence of four words or more of a long source.
`tests/untranslated_allowed.yaml` lists the few strings a page may show in English, with the
reason for each.

What a page shows: its visible text (a block element starts a new piece of text, an inline
element does not) and the attributes people read (title, alt, aria-label, placeholder, the value
of a submit button). Text inside an element marked with another language on purpose (`lang`
neither the page's language nor English: a language's own name, a comment written in Dutch) is
skipped; text marked `lang="en"` is checked, since a fallback to English is still English.
People's own text (comments, names) is not a source, so it never matches.
"""

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import polib
import yaml

ROOT = Path(__file__).resolve().parent.parent
CONTENT_TRANSLATIONS = (
    "assessment/questionnaires/i18n",
    "actions/data/i18n",
    "partnership/data/i18n",
)
ALLOWED_FILE = Path(__file__).with_name("untranslated_allowed.yaml")
SHORT_WORDS = 3  # a source of this many words or fewer must be a whole piece of text
SENTENCE_WORDS = 4  # sentences of a long source with at least this many words are checked

PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sdf]|%[sd]|\{[a-z_]*\}")
TAG = re.compile(r"<[^>]+>")
WORD = re.compile(r"[^\W\d_]{2,}")
SENTENCE_END = re.compile(r"(?<!\be\.g\.)(?<!\bi\.e\.)(?<=[.!?;:])\s+")
MARKDOWN_LINE = re.compile(r"^\s*(?:#+|[-*]|\d+\.)\s+")
MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
SPACES = re.compile(r"\s+")

BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "br", "button", "caption", "dd", "details",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
    "h4", "h5", "h6", "header", "hr", "label", "legend", "li", "main", "nav", "ol", "option",
    "p", "pre", "section", "select", "summary", "table", "tbody", "td", "tfoot", "th", "thead",
    "title", "tr", "ul", "desc", "text", "textarea", "g", "svg",
}  # fmt: skip
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
             "track", "wbr"}  # fmt: skip
SKIPPED_TAGS = {"script", "style", "template"}
READ_ATTRIBUTES = ("title", "alt", "aria-label", "aria-description", "placeholder")
BUTTON_TYPES = {"submit", "button", "reset"}


def normalise(text: str) -> str:
    return SPACES.sub(" ", text.replace("\u00a0", " ")).strip()


# --- What a page shows -----------------------------------------------------------------------


@dataclass
class Shown:
    """The pieces of text a page shows (text between block boundaries, and read attributes)."""

    pieces: set[str] = field(default_factory=set)
    text: str = ""  # every piece, one per line

    @classmethod
    def of(cls, pieces: Iterable[str]) -> "Shown":
        kept = {p for p in (normalise(piece) for piece in pieces) if p}
        return cls(kept, "\n".join(sorted(kept)))


class _PageText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self.current: list[str] = []
        self.stack: list[tuple[str, str | None]] = []  # (tag, lang)
        self.page_language = ""
        self.skipping = 0

    @property
    def language(self) -> str:
        return next((lang for _, lang in reversed(self.stack) if lang), self.page_language)

    def skipped(self) -> bool:
        language = self.language.split("-")[0]
        return bool(self.skipping) or language not in {self.page_language, "en"}

    def flush(self) -> None:
        if self.current:
            self.pieces.append("".join(self.current))
            self.current = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.page_language = (attributes.get("lang") or "").split("-")[0]
        if tag in BLOCK_TAGS:
            self.flush()
        if tag not in VOID_TAGS:
            self.stack.append((tag, attributes.get("lang")))
        if tag in SKIPPED_TAGS:
            self.skipping += 1
        if self.skipped():
            self._pop_void(tag)
            return
        for name in READ_ATTRIBUTES:
            if attributes.get(name):
                self.pieces.append(attributes[name])
        if tag == "input" and (attributes.get("type") or "").lower() in BUTTON_TYPES:
            self.pieces.append(attributes.get("value") or "")
        self._pop_void(tag)

    def _pop_void(self, tag):
        # A void element's own lang applies to its attributes only.
        if tag in VOID_TAGS and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS:
            self.flush()
        if tag in SKIPPED_TAGS and self.skipping:
            self.skipping -= 1
        for position in range(len(self.stack) - 1, -1, -1):
            if self.stack[position][0] == tag:
                # Text up to here belonged to the element: flush before its lang goes.
                if self.stack[position][1]:
                    self.flush()
                del self.stack[position:]
                break

    def handle_data(self, data):
        if self.skipped():
            return
        if self.stack and self.stack[-1][1]:
            # A lang-marked element is a piece of its own (a fallback is found on its own too).
            self.flush()
        self.current.append(data)

    def close(self):
        super().close()
        self.flush()


def shown_on_page(html: str) -> Shown:
    parser = _PageText()
    parser.feed(html)
    parser.close()
    return Shown.of(parser.pieces)


def shown_in_text(text: str) -> Shown:
    """Text extracted from a PDF: every line a piece, and the whole as one running text."""
    lines = text.splitlines()
    return Shown(
        {normalise(line) for line in lines if line.strip()},
        "\n".join(lines) + "\n" + normalise(text),
    )


# --- The English sources ---------------------------------------------------------------------


@dataclass(frozen=True)
class Probe:
    """One English string to look for; `whole`: only a piece that is exactly it counts."""

    source: str  # as written in the source file
    text: str  # what is looked for (tags stripped, whitespace normalised)
    whole: bool
    kind: str = "interface"  # or "content"

    @functools.cached_property
    def pattern(self) -> re.Pattern | None:
        if not PLACEHOLDER.search(self.text):
            return None
        parts = [re.escape(part) for part in PLACEHOLDER.split(self.text)]
        return re.compile(r"\S.*?".join(parts) if not self.whole else ".+?".join(parts))

    @functools.cached_property
    def longest_literal(self) -> str:
        return max(PLACEHOLDER.split(self.text), key=len).strip()

    def found_in(self, shown: Shown) -> bool:
        if self.pattern is None:
            if self.whole:
                return self.text in shown.pieces
            return _contains_word(shown.text, self.text)
        if self.longest_literal not in shown.text:
            return False
        if self.whole:
            return any(self.pattern.fullmatch(piece) for piece in shown.pieces)
        return any(
            _bounded(shown.text, match.start(), match.end())
            for match in self.pattern.finditer(shown.text)
        )


def _bounded(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or after.isalnum())


def _contains_word(text: str, part: str) -> bool:
    start = text.find(part)
    while start != -1:
        if _bounded(text, start, start + len(part)):
            return True
        start = text.find(part, start + 1)
    return False


def literal_words(text: str) -> list[str]:
    return WORD.findall(PLACEHOLDER.sub(" ", text))


def probes_for(source: str, kind: str = "interface") -> list[Probe]:
    """The whole source (if it says enough to be recognised) and its long sentences."""
    plain = MARKDOWN_LINK.sub(r"\1", TAG.sub("", source)).replace("**", "")
    lines = [MARKDOWN_LINE.sub("", line) for line in plain.splitlines()]
    whole = normalise(" ".join(lines))
    words = literal_words(whole)
    probes = []
    if words and (len(words) >= 2 or not PLACEHOLDER.search(whole)):
        probes.append(Probe(source, whole, whole=len(words) <= SHORT_WORDS, kind=kind))
    sentences = [s for line in lines for s in SENTENCE_END.split(normalise(line))]
    if len(sentences) > 1:
        for sentence in sentences:
            sentence = sentence.rstrip(".:;!?")
            if len(literal_words(sentence)) >= SENTENCE_WORDS and " " in sentence:
                probes.append(Probe(source, sentence, whole=False, kind=kind))
    return probes


@functools.cache
def allowed() -> dict[str, dict]:
    """The allow-list: English string -> {"reason": ..., "languages": [...] or absent (all)}."""
    entries = yaml.safe_load(ALLOWED_FILE.read_text(encoding="utf-8")) or []
    return {entry["string"]: entry for entry in entries}


def is_allowed(string: str, language: str) -> bool:
    entry = allowed().get(string)
    return entry is not None and language in entry.get("languages", [language])


def interface_sources(language: str) -> dict[str, str]:
    """msgid (and plural) -> translation, for the msgids the language translates differently
    or not yet (an empty or fuzzy entry shows the English msgid)."""
    po = polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))
    sources = {}
    for entry in po:
        if entry.obsolete or not entry.msgid:
            continue
        missing = entry.fuzzy or not entry.translated()
        translations = [entry.msgstr] if not entry.msgid_plural else entry.msgstr_plural.values()
        for msgid in filter(None, (entry.msgid, entry.msgid_plural)):
            if missing or all(translation != msgid for translation in translations):
                sources[msgid] = "" if missing else next(iter(translations))
    return sources


def content_sources(language: str) -> dict[str, str]:
    """Every `source` of the content translation files, English -> the language's text."""
    sources: dict[str, str] = {}
    own: dict[str, str] = {}
    for folder in CONTENT_TRANSLATIONS:
        for path in sorted((ROOT / folder).rglob("*.yaml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            for entry in (data.get("strings") or {}).values():
                source = entry.get("source")
                if not source:
                    continue
                sources.setdefault(source, "")
                if data.get("language") == language:
                    own[source] = entry.get("text") or ""
    return {s: own.get(s, "") for s in sources if own.get(s, "").strip() != s.strip()}


@functools.cache
def probes(language: str) -> tuple[Probe, ...]:
    """Every probe for `language`, longest first, allow-listed strings left out."""
    found: dict[str, Probe] = {}
    # Content first: a string that is both (a page title) is reported as content.
    for kind, sources in (
        ("content", content_sources(language)),
        ("interface", interface_sources(language)),
    ):
        for source in sources:
            for probe in probes_for(source, kind):
                if not is_allowed(probe.text, language) and not is_allowed(probe.source, language):
                    found.setdefault(probe.text, probe)
    return tuple(sorted(found.values(), key=lambda p: -len(p.text)))


def english_left(shown: Shown, language: str) -> list[Probe]:
    """The English strings `shown` contains, without those inside a longer one found."""
    hits: list[Probe] = []
    for probe in probes(language):
        if probe.found_in(shown) and not any(probe.text in longer.text for longer in hits):
            hits.append(probe)
    return hits
