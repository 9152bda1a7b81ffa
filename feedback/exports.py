"""CSV export of comments, streamed row by row.

Cells are HTML-escaped (the text a citizen typed is never markup, wherever the file is
opened) and cells starting with = + - @ (or a tab / carriage return) get a leading quote so a
spreadsheet does not run them as formulas. A UTF-8 BOM makes Excel read accents right.
"""

import csv
from collections.abc import Iterable, Iterator
from html import escape

from django.utils import timezone

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = ["id", "round", "action", "status", "received_at", "published_at", "display_name",
           "respondent_type", "country", "comment", "official_response", "rejection_reason"]


def safe_cell(value) -> str:
    text = escape("" if value is None else str(value), quote=True)
    if text.startswith(FORMULA_STARTS):
        text = "'" + text
    return text


class _Echo:
    """A file-like object whose write() hands the line back, for the streaming writer."""

    def write(self, value: str) -> str:
        return value


def _when(moment, zone) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def comment_rows(comments, *, include_email: bool) -> Iterator[list]:
    """The header, then one row per comment (plain values: no model instances, for speed)."""
    fields = ["pk", "round__slug", "action__number", "status", "created_at", "published_at",
              "display_name", "respondent_type", "country", "body", "response__body",
              "rejection_reason"] + (["email"] if include_email else [])
    yield COLUMNS + (["email"] if include_email else [])
    queryset = comments.order_by("created_at", "id").values_list(*fields)
    zone = timezone.get_current_timezone()  # Brussels: times as the coordinators read them
    for values in queryset.iterator(chunk_size=2000):
        row = list(values)
        row[4], row[5] = _when(row[4], zone), _when(row[5], zone)
        yield row


def csv_lines(rows: Iterable[list]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield BOM
    for row in rows:
        yield writer.writerow([safe_cell(value) for value in row])


def export_filename(prefix: str = "feedback-comments") -> str:
    return f"{prefix}-{timezone.localdate():%Y-%m-%d}.csv"

