"""Streamed CSV exports of the field, honouring the dashboard's filters.

Rows are read with `.iterator(chunk_size=...)` from `values_list` queries and written in
chunks, so memory stays constant whatever the number of assessments. The file starts with a
UTF-8 byte order mark so spreadsheet programs read accents correctly, and every text cell that
a spreadsheet would run as a formula is prefixed with a quote (CSV injection).
"""

import csv
from collections.abc import Iterable, Iterator
from datetime import datetime
from decimal import Decimal

from django.db.models import Q
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment import scoring
from assessment.models import Answer, AnswerType, Assessment, Dimension
from assessment.overview import FieldFilters, filtered_assessments
from assessment.scores import FrozenScores, record_field
from assessment.wording import BAND_LABELS
from partnership.models import PopulationBand

BOM = "\ufeff"
CHUNK_SIZE = 2000
FLUSH_BYTES = 64 * 1024
# A cell starting with one of these is a formula for Excel, LibreOffice or Google Sheets.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
Status = Assessment.Status


class _Echo:
    """A file-like object whose write() returns what it was given (for csv.writer)."""

    def write(self, value: str) -> str:
        return value


class CellFormatter:
    """Turns values into CSV cells; text that could run as a formula gets a leading quote.

    Built once per export: the words for yes and no and the time zone are looked up once, not
    once per cell (a gettext call per cell made a 46,000-row export several times slower).
    """

    def __init__(self):
        self.yes, self.no = str(_("yes")), str(_("no"))
        self.tz = timezone.get_current_timezone()

    def __call__(self, value) -> str | int | float | Decimal:
        if type(value) is str:  # the most common case first: this runs for every cell
            return "'" + value if value.startswith(FORMULA_PREFIXES) else value
        if value is None:
            return ""
        if value is True:
            return self.yes
        if value is False:
            return self.no
        if isinstance(value, datetime):
            return value.astimezone(self.tz).strftime("%Y-%m-%d %H:%M")
        if isinstance(value, int | float | Decimal):
            return value
        return safe_text(str(value))


def safe_text(text: str) -> str:
    """Text that a spreadsheet would run as a formula is prefixed with a quote."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def safe_cell(value) -> str | int | float | Decimal:
    """One value as a CSV cell (see CellFormatter)."""
    return CellFormatter()(value)


def csv_chunks(header: list[str], rows: Iterable[Iterable]) -> Iterator[str]:
    """The CSV text in chunks of about FLUSH_BYTES, starting with the byte order mark."""
    writer = csv.writer(_Echo())
    cell = CellFormatter()
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


def labels(choices) -> dict[str, str]:
    """value -> translated label, translated once (lazy labels cost a gettext per use)."""
    return {value: str(label) for value, label in choices}


def csv_response(*, filename: str, header: list[str], rows: Iterable[Iterable]
                 ) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_chunks(header, rows),
                                     content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def export_filename(kind: str, filters: FieldFilters) -> str:
    return f"sps-{kind}-{filters.cycle if filters.cycle is not None else 'all-cycles'}.csv"


# --- Scores: one row per assessment, one column per Action --------------------------------


def scores_header() -> list[str]:
    return [
        _("Authority"), _("Country"), _("Population"), _("Population band"), _("Partner"),
        _("Cycle"), _("Status"), _("Questionnaire version"), _("Scores as of"),
        _("Submitted at"), _("Approved at"), _("Overall score"), _("Overall band"),
        *[_("Action %(number)d") % {"number": n} for n in scoring.ACTIONS],
    ]


def scores_rows(*, filters: FieldFilters) -> Iterator[list]:
    """Scores frozen at approval (else at the last submission; drafts have none)."""
    statuses = labels(Status.choices)
    bands = labels(PopulationBand.choices)
    band_text = labels(BAND_LABELS.items())
    as_of_approval, as_of_submission = str(_("approval")), str(_("submission"))
    rows = filtered_assessments(filters=filters).values_list(
        "authority__name", "authority__country", "authority__population",
        "authority__is_partner", "cycle", "status", "questionnaire__version",
        "submitted_at", "approved_at", "approved_scores", "submitted_scores",
    )
    for (name, country, population, partner, cycle, status, version, submitted_at,
         approved_at, approved_scores, submitted_scores) in rows.iterator(chunk_size=CHUNK_SIZE):
        field = record_field(status)
        as_of = {"approved_scores": as_of_approval, "submitted_scores": as_of_submission,
                 None: ""}[field]
        scores = FrozenScores.from_dict(
            approved_scores if field == "approved_scores"
            else submitted_scores if field == "submitted_scores" else None
        )
        yield [
            name, country, population, bands[PopulationBand.for_population(population)],
            partner, cycle, statuses.get(status, status), version, as_of, submitted_at,
            approved_at, scores.overall, band_text.get(scores.overall_band or "", ""),
            *[a.score for a in scores.actions],
        ]


def scores_csv(*, filters: FieldFilters) -> StreamingHttpResponse:
    return csv_response(filename=export_filename("scores", filters), header=scores_header(),
                        rows=scores_rows(filters=filters))


# --- Answers: one row per item answered ---------------------------------------------------


def answers_header() -> list[str]:
    return [
        _("Authority"), _("Country"), _("Cycle"), _("Status"), _("Questionnaire version"),
        _("Item"), _("Action"), _("Dimension"), _("Question"), _("Answer type"),
        _("Level"), _("Yes or no"), _("Number"), _("Not applicable"),
        _("Reason not applicable"), _("Evidence note"), _("Evidence link"), _("Last changed"),
    ]


def answered_items(*, filters: FieldFilters):
    """Answers with a value or marked not applicable, of the filtered assessments."""
    assessments = filtered_assessments(filters=filters).order_by().values("pk")
    return Answer.objects.filter(
        Q(level__isnull=False) | Q(yes__isnull=False) | Q(number__isnull=False)
        | Q(not_applicable=True),
        assessment__in=assessments,
    )


def answers_rows(*, filters: FieldFilters) -> Iterator[list]:
    statuses = labels(Status.choices)
    dimensions = labels(Dimension.choices)
    answer_types = labels(AnswerType.choices)
    rows = answered_items(filters=filters).order_by(
        "assessment__authority__name", "assessment__cycle", "item__position"
    ).values_list(
        "assessment__authority__name", "assessment__authority__country", "assessment__cycle",
        "assessment__status", "assessment__questionnaire__version", "item__code",
        "item__dimension", "item__question", "item__answer_type", "level", "yes", "number",
        "not_applicable", "na_reason", "evidence_note", "evidence_url", "updated_at",
    )
    for (name, country, cycle, status, version, code, dimension, question, answer_type, level,
         yes, number, na, na_reason, note, url, updated_at) in rows.iterator(
            chunk_size=CHUNK_SIZE):
        yield [
            name, country, cycle, statuses.get(status, status), version, code,
            int(code[1:].split(".")[0]), dimensions.get(dimension, dimension), question,
            answer_types.get(answer_type, answer_type), level, yes, number,
            na, na_reason, note, url, updated_at,
        ]


def answers_csv(*, filters: FieldFilters) -> StreamingHttpResponse:
    return csv_response(filename=export_filename("answers", filters), header=answers_header(),
                        rows=answers_rows(filters=filters))
