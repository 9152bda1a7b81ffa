"""The open data as CSV files, written by the site's one CSV writer (`portal.csv`: UTF-8 with a
BOM, formula-like text guarded). Not streamed: the files are small, and a whole body is what
gets an ETag and a place in the shared cache. Cells arrive as text ("true"/"false", not the
translated yes/no), so the file is the same in every language.

Each file carries the licence in a `license` column and in a `Link: rel="license"` header.
Suppressed figures are empty cells with `suppressed` = true.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.http import HttpResponse

from portal.csv import csv_chunks
from portal.opendata import feedback_figures, figures
from portal.opendata.http import LICENSE


def open_data_csv(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """A public CSV file, whole (for its ETag and the shared cache), with its licence."""
    text = "".join(csv_chunks([*header, "license"], ([*row, LICENSE["id"]] for row in rows)))
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Link"] = f'<{LICENSE["url"]}>; rel="license"'
    return response


def _cell(value):
    """Booleans as true/false in every language; numbers stay numbers (a negative change
    must not be taken for a formula)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


AGGREGATE_COLUMNS = (
    "cycle",
    "questionnaire_version",
    "group",
    "value",
    "group_suppressed",
    "authorities",
    "measure",
    "suppressed",
    "n",
    "mean",
    "q1",
    "median",
    "q3",
    *(f"band_{band}" for band in figures.BANDS),
)


def aggregate_rows() -> Iterable[list[str]]:
    for dataset in figures.datasets():
        field = figures.figures_for(dataset)
        for group in field.groups:
            for s in group.summaries:
                bands = [s.bands[b] if s.bands else None for b in figures.BANDS]
                yield [
                    _cell(v)
                    for v in (
                        field.cycle,
                        field.questionnaire_version,
                        group.group,
                        group.value,
                        group.suppressed,
                        group.authorities,
                        s.measure,
                        s.suppressed,
                        s.n,
                        s.mean,
                        s.q1,
                        s.median,
                        s.q3,
                        *bands,
                    )
                ]


CHANGE_COLUMNS = (
    "cycle",
    "questionnaire_version",
    "previous_cycle",
    "measure",
    "suppressed",
    "n",
    "mean_change",
    "median_change",
)


def change_rows() -> Iterable[list[str]]:
    for dataset in figures.datasets():
        field = figures.figures_for(dataset)
        for c in field.changes:
            yield [
                _cell(v)
                for v in (
                    field.cycle,
                    field.questionnaire_version,
                    field.previous_cycle,
                    c.measure,
                    c.suppressed,
                    c.n,
                    c.mean_change,
                    c.median_change,
                )
            ]


ITEM_COLUMNS = (
    "cycle",
    "questionnaire_version",
    "item",
    "action",
    "suppressed",
    "n",
    *(f"level_{level}" for level in figures.LEVELS),
    "not_applicable",
    *(f"level_{level}_share" for level in figures.LEVELS),
    "not_applicable_share",
)


def item_rows() -> Iterable[list[str]]:
    for dataset in figures.datasets():
        for item in figures.item_shares(dataset):
            counts = [item.levels[level] if item.levels else None for level in figures.LEVELS]
            shares = [item.share(level) for level in figures.LEVELS]
            yield [
                _cell(v)
                for v in (
                    dataset.cycle,
                    dataset.questionnaire_version,
                    item.code,
                    item.action,
                    item.suppressed,
                    item.n,
                    *counts,
                    item.not_applicable,
                    *shares,
                    item.not_applicable_share,
                )
            ]


FEEDBACK_COLUMNS = (
    "round",
    "title",
    "opens_at",
    "closes_at",
    "action",
    "received",
    "published",
    "pending",
    "hidden",
    "rejected",
    "responded",
    "outcome",
)


def feedback_rows() -> Iterable[list[str]]:
    for r in feedback_figures.feedback_rounds():
        for a in r.actions:
            yield [
                _cell(v)
                for v in (
                    r.slug,
                    r.title,
                    r.opens_at,
                    r.closes_at,
                    a.action,
                    a.received,
                    a.published,
                    a.pending,
                    a.hidden,
                    a.rejected,
                    a.responded,
                    a.outcome,
                )
            ]


DOWNLOADS = {
    "aggregates": (AGGREGATE_COLUMNS, aggregate_rows),
    "changes": (CHANGE_COLUMNS, change_rows),
    "items": (ITEM_COLUMNS, item_rows),
    "feedback": (FEEDBACK_COLUMNS, feedback_rows),
}
