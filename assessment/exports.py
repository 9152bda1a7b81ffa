"""Streamed CSV exports of the field, honouring the dashboard's filters.

Rows are read with `.iterator(chunk_size=...)` from `values_list` queries and written in
chunks, so memory stays constant whatever the number of assessments. The file itself is
written by the site's one CSV writer, `portal.csv` (byte order mark, formula guard).
"""

from collections.abc import Iterator

from django.db.models import Q
from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _

from assessment import scoring
from assessment.models import Answer, AnswerType, Assessment, Dimension
from assessment.overview import FieldFilters, filtered_assessments
from assessment.scores import FrozenScores, record_field
from assessment.wording import BAND_LABELS
from partnership.models import PopulationBand
from portal.csv import csv_response

CHUNK_SIZE = 2000
Status = Assessment.Status


def labels(choices) -> dict[str, str]:
    """value -> translated label, translated once (lazy labels cost a gettext per use)."""
    return {value: str(label) for value, label in choices}


def export_filename(kind: str, filters: FieldFilters) -> str:
    return f"sps-{kind}-{filters.cycle if filters.cycle is not None else 'all-cycles'}.csv"


# --- Scores: one row per assessment, one column per Action --------------------------------


def scores_header() -> list[str]:
    return [
        _("Authority"),
        _("Country"),
        _("Population"),
        _("Population band"),
        _("Partner"),
        _("Cycle"),
        _("Status"),
        _("Questionnaire version"),
        _("Scores as of"),
        _("Submitted at"),
        _("Approved at"),
        _("Overall score"),
        _("Overall band"),
        *[_("Action %(number)d") % {"number": n} for n in scoring.ACTIONS],
    ]


def scores_rows(*, filters: FieldFilters) -> Iterator[list]:
    """Scores frozen at approval (else at the last submission; drafts have none)."""
    statuses = labels(Status.choices)
    bands = labels(PopulationBand.choices)
    band_text = labels(BAND_LABELS.items())
    as_of_approval, as_of_submission = str(_("approval")), str(_("submission"))
    rows = filtered_assessments(filters=filters).values_list(
        "authority__name",
        "authority__country",
        "authority__population",
        "authority__is_partner",
        "cycle",
        "status",
        "questionnaire__version",
        "submitted_at",
        "approved_at",
        "approved_scores",
        "submitted_scores",
    )
    for (
        name,
        country,
        population,
        partner,
        cycle,
        status,
        version,
        submitted_at,
        approved_at,
        approved_scores,
        submitted_scores,
    ) in rows.iterator(chunk_size=CHUNK_SIZE):
        field = record_field(status)
        as_of = {"approved_scores": as_of_approval, "submitted_scores": as_of_submission, None: ""}[
            field
        ]
        scores = FrozenScores.from_dict(
            approved_scores
            if field == "approved_scores"
            else submitted_scores
            if field == "submitted_scores"
            else None
        )
        yield [
            name,
            country,
            population,
            bands[PopulationBand.for_population(population)],
            partner,
            cycle,
            statuses.get(status, status),
            version,
            as_of,
            submitted_at,
            approved_at,
            scores.overall,
            band_text.get(scores.overall_band or "", ""),
            *[a.score for a in scores.actions],
        ]


def scores_csv(*, filters: FieldFilters) -> StreamingHttpResponse:
    return csv_response(
        filename=export_filename("scores", filters),
        header=scores_header(),
        rows=scores_rows(filters=filters),
    )


# --- Answers: one row per item answered ---------------------------------------------------


def answers_header() -> list[str]:
    return [
        _("Authority"),
        _("Country"),
        _("Cycle"),
        _("Status"),
        _("Questionnaire version"),
        _("Item"),
        _("Action"),
        _("Dimension"),
        _("Question"),
        _("Answer type"),
        _("Level"),
        _("Yes or no"),
        _("Number"),
        _("Not applicable"),
        _("Reason not applicable"),
        _("Evidence note"),
        _("Evidence link"),
        _("Last changed"),
    ]


def answered_items(*, filters: FieldFilters):
    """Answers with a value or marked not applicable, of the filtered assessments."""
    assessments = filtered_assessments(filters=filters).order_by().values("pk")
    return Answer.objects.filter(
        Q(level__isnull=False)
        | Q(yes__isnull=False)
        | Q(number__isnull=False)
        | Q(not_applicable=True),
        assessment__in=assessments,
    )


def answers_rows(*, filters: FieldFilters) -> Iterator[list]:
    statuses = labels(Status.choices)
    dimensions = labels(Dimension.choices)
    answer_types = labels(AnswerType.choices)
    rows = (
        answered_items(filters=filters)
        .order_by("assessment__authority__name", "assessment__cycle", "item__position")
        .values_list(
            "assessment__authority__name",
            "assessment__authority__country",
            "assessment__cycle",
            "assessment__status",
            "assessment__questionnaire__version",
            "item__code",
            "item__dimension",
            "item__question",
            "item__answer_type",
            "level",
            "yes",
            "number",
            "not_applicable",
            "na_reason",
            "evidence_note",
            "evidence_url",
            "updated_at",
        )
    )
    for (
        name,
        country,
        cycle,
        status,
        version,
        code,
        dimension,
        question,
        answer_type,
        level,
        yes,
        number,
        na,
        na_reason,
        note,
        url,
        updated_at,
    ) in rows.iterator(chunk_size=CHUNK_SIZE):
        yield [
            name,
            country,
            cycle,
            statuses.get(status, status),
            version,
            code,
            int(code[1:].split(".")[0]),
            dimensions.get(dimension, dimension),
            question,
            answer_types.get(answer_type, answer_type),
            level,
            yes,
            number,
            na,
            na_reason,
            note,
            url,
            updated_at,
        ]


def answers_csv(*, filters: FieldFilters) -> StreamingHttpResponse:
    return csv_response(
        filename=export_filename("answers", filters),
        header=answers_header(),
        rows=answers_rows(filters=filters),
    )
