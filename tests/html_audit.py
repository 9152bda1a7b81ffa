"""What the page checks read from an HTML page, with the standard library's parser only."""

from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

UNLABELLED_TYPES = {"hidden", "submit", "button", "reset", "image"}
FIELD_TAGS = {"input", "select", "textarea"}


@dataclass
class Field:
    tag: str
    attrs: dict[str, str | None]
    in_label: bool

    def describe(self) -> str:
        return (
            f"<{self.tag} name={self.attrs.get('name')!r} id={self.attrs.get('id')!r}"
            f" type={self.attrs.get('type')!r}>"
        )


class Audit(HTMLParser):
    """One pass over a page: headings, title, fields and labels, links, scripts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.h1 = 0
        self.title = ""
        self.label_for: set[str] = set()
        self.ids: list[str] = []
        self.fields: list[Field] = []
        self.links: list[str] = []  # <a href>
        self.assets: list[str] = []  # <link href>, <script src>, <img src>
        self.inline_scripts: list[str] = []
        self.event_handlers: list[str] = []
        self.style_attributes = 0
        self._in_title = False
        self._open_labels = 0
        self._script: list[str] | None = None
        self._script_type = ""

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.append(attributes["id"])
        self.event_handlers += [f"<{tag} {name}>" for name, _ in attrs if name.startswith("on")]
        if "style" in attributes:
            self.style_attributes += 1
        if tag == "h1":
            self.h1 += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "label":
            self._open_labels += 1
            if attributes.get("for"):
                self.label_for.add(attributes["for"])
        elif tag in FIELD_TAGS:
            if (attributes.get("type") or "text").lower() not in UNLABELLED_TYPES:
                self.fields.append(Field(tag, attributes, in_label=self._open_labels > 0))
        elif tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        elif tag == "link" and attributes.get("href"):
            self.assets.append(attributes["href"])
        elif tag in ("img", "script") and attributes.get("src"):
            self.assets.append(attributes["src"])
        if tag == "script":
            self._script = [] if not attributes.get("src") else None
            self._script_type = (attributes.get("type") or "").lower()

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "label":
            self._open_labels -= 1

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag == "label":
            self._open_labels = max(0, self._open_labels - 1)
        elif tag == "script" and self._script is not None:
            body = "".join(self._script).strip()
            # JSON data blocks (json_script) are not executed: CSP allows them.
            if body and self._script_type not in ("application/json", "application/ld+json"):
                self.inline_scripts.append(body[:80])
            self._script = None

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if self._script is not None:
            self._script.append(data)

    # --- Findings ------------------------------------------------------------------------

    def unlabelled(self) -> list[str]:
        """Visible fields without <label for>, a wrapping <label>, aria-label(ledby) or title."""
        known_ids = set(self.ids)
        missing = []
        for found in self.fields:
            attrs = found.attrs
            labelled_by = (attrs.get("aria-labelledby") or "").split()
            if (
                (attrs.get("id") and attrs["id"] in self.label_for)
                or found.in_label
                or (attrs.get("aria-label") or "").strip()
                or (labelled_by and all(i in known_ids for i in labelled_by))
            ):
                continue
            missing.append(found.describe())
        return missing

    def duplicate_ids(self) -> list[str]:
        return sorted({i for i in self.ids if self.ids.count(i) > 1})

    def dangling_labels(self) -> list[str]:
        """<label for> pointing at no element."""
        return sorted(self.label_for - set(self.ids))


def audit(html: str) -> Audit:
    parser = Audit()
    parser.feed(html)
    parser.close()
    return parser


def internal(href: str, *, page_path: str) -> str | None:
    """The site-relative path (with query) a link points to, or None for other sites,
    fragments on the same page, mailto: and the like."""
    href, _ = urldefrag(href.strip())
    if not href:
        return None
    parts = urlsplit(href)
    if parts.scheme and parts.scheme not in ("http", "https"):
        return None
    if parts.netloc and parts.netloc not in ("testserver", "localhost", "127.0.0.1"):
        return None
    path = parts.path
    if not path.startswith("/"):
        base = page_path.rsplit("/", 1)[0]
        path = f"{base}/{path}" if path else page_path.split("?")[0]
    return path + (f"?{parts.query}" if parts.query else "")
