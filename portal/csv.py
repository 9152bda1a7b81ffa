"""The one CSV writer of the site: every CSV file is written by `csv_chunks`. The private
exports are streamed by `csv_response` (never cached); the open data's public files are
whole bodies built from the same chunks (`portal.opendata.downloads.open_data_csv`).

- The file starts with a UTF-8 byte order mark, so spreadsheet programs read accents right.
- Cells are written exactly as stored: never HTML-escaped (a CSV file is not markup).
- A text cell that a spreadsheet would run as a formula gets a leading apostrophe: cells that
  start with = + - @, their fullwidth forms ＝ ＋ － ＠ (Excel and LibreOffice read them as
  formulas too), a tab or a carriage return. The apostrophe is the only change ever made to
  a value, and spreadsheets hide it.
- Rows are streamed in chunks of about FLUSH_BYTES, so memory stays constant.
"""

import csv
from collections.abc import Iterable, Iterator
from datetime import datetime
from decimal import Decimal

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

BOM = "\ufeff"
FLUSH_BYTES = 64 * 1024
FORMULA_PREFIXES = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20", "\t", "\r")
FORMULA_GUARD = "'"

Cell = str | int | float | Decimal


def guard_formula(text: str) -> str:
    """`text` with a leading apostrophe when a spreadsheet would run it as a formula."""
    return FORMULA_GUARD + text if text.startswith(FORMULA_PREFIXES) else text


class CellFormatter:
    """Turns a value into a CSV cell: text guarded, numbers kept as numbers, None empty,
    booleans as the translated yes / no, date-times in the current time zone.

    Built once per export: the words for yes and no and the time zone are looked up once, not
    once per cell (a gettext call per cell made a 46,000-row export several times slower).
    """

    def __init__(self, *, datetime_format: str = "%Y-%m-%d %H:%M"):
        self.yes, self.no = str(_("yes")), str(_("no"))
        self.tz = timezone.get_current_timezone()
        self.datetime_format = datetime_format

    def __call__(self, value) -> Cell:
        if type(value) is str:  # the most common case first: this runs for every cell
            return guard_formula(value)
        if value is None:
            return ""
        if value is True:
            return self.yes
        if value is False:
            return self.no
        if isinstance(value, datetime):
            return value.astimezone(self.tz).strftime(self.datetime_format)
        if isinstance(value, int | float | Decimal):
            return value
        return guard_formula(str(value))


class _Echo:
    """A file-like object whose write() returns what it was given (for csv.writer)."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(
    header: Iterable, rows: Iterable[Iterable], *, cell: CellFormatter | None = None
) -> Iterator[str]:
    """The CSV text in chunks of about FLUSH_BYTES, starting with the byte order mark."""
    writer = csv.writer(_Echo())
    cell = cell or CellFormatter()
    buffer = [BOM, writer.writerow([cell(h) for h in header])]
    size = 0
    for row in rows:
        line = writer.writerow([cell(value) for value in row])
        buffer.append(line)
        size += len(line)
        if size >= FLUSH_BYTES:
            yield "".join(buffer)
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer)


def csv_response(
    *, filename: str, header: Iterable, rows: Iterable[Iterable], cell: CellFormatter | None = None
) -> StreamingHttpResponse:
    """A streamed CSV download; exports carry personal data, so no cache may keep them."""
    response = StreamingHttpResponse(
        csv_chunks(header, rows, cell=cell), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
