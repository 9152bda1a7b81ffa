from django import template
from django.utils.html import format_html, format_html_join

from portal.content_translations import ShownText

register = template.Library()


@register.filter
def plain_blocks(text: "str | ShownText", heading_level: int = 2):
    """Render ContentBlock text safely: paragraphs, "## " headings and "- " lists, all escaped.

    An English fallback (`ShownText`) is wrapped in `<div lang="en">` (WCAG 3.1.2)."""
    if isinstance(text, ShownText) and text.fallback:
        return format_html(
            '<div lang="{}">{}</div>', text.language, plain_blocks(text.text, heading_level)
        )
    html = []
    for chunk in str(text).replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in chunk.strip().split("\n") if line.strip()]
        if not lines:
            continue
        if lines[0].startswith("## "):
            html.append(format_html("<h{0}>{1}</h{0}>", heading_level, lines[0][3:]))
            lines = lines[1:]
        if lines and all(line.startswith("- ") for line in lines):
            items = format_html_join("", "<li>{}</li>", ((line[2:],) for line in lines))
            html.append(format_html("<ul>{}</ul>", items))
        elif lines:
            html.append(format_html("<p>{}</p>", " ".join(lines)))
    # Each part is already safe (format_html), so joining them escapes nothing twice.
    return format_html_join("", "{}", ((part,) for part in html))


@register.filter
def percent(value, digits: int = 0):
    if value is None:
        return "–"
    return f"{value * 100:.{digits}f} %"
