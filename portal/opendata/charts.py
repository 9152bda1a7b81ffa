"""Geometry of the distribution chart of "The field in figures" (SVG written by the
auto-escaping template `opendata/_distribution_svg.html`; the page gives the same figures as a
table). One row per score: the middle half of the authorities (Q1 to Q3) as a box, the median
as a bar, on a 0-100 axis with the band boundaries."""

from __future__ import annotations

from dataclasses import dataclass

from portal.opendata.figures import Summary

WIDTH, ROW_HEIGHT, LABEL_WIDTH, TOP, RIGHT_PAD = 640, 34, 150, 28, 20
PLOT_WIDTH = WIDTH - LABEL_WIDTH - RIGHT_PAD
TICKS = (0, 25, 50, 75, 100)


def x(score: float) -> float:
    return round(LABEL_WIDTH + PLOT_WIDTH * max(0.0, min(100.0, score)) / 100, 1)


@dataclass(frozen=True)
class ChartRow:
    label: str
    y: int  # centre line of the row
    summary: Summary

    @property
    def box(self) -> dict | None:
        s = self.summary
        if not s.has_figures or s.q1 is None or s.median is None or s.q3 is None:
            return None
        return {
            "x": x(s.q1),
            "width": max(round(x(s.q3) - x(s.q1), 1), 1.5),
            "y": self.y - 8,
            "median": x(s.median),
            "top": self.y - 11,
            "bottom": self.y + 11,
        }


def distribution_chart(rows: list[tuple[str, Summary]]) -> dict:
    """The template context of the chart for (label, summary) rows."""
    chart_rows = [
        ChartRow(label, TOP + 20 + i * ROW_HEIGHT, summary)
        for i, (label, summary) in enumerate(rows)
    ]
    height = TOP + 20 + len(rows) * ROW_HEIGHT
    return {
        "width": WIDTH,
        "height": height,
        "label_x": LABEL_WIDTH - 8,
        "axis": [{"x": x(t), "label": t} for t in TICKS],
        "axis_top": TOP,
        "axis_bottom": height - 10,
        "rows": chart_rows,
        "empty_x": LABEL_WIDTH + 4,
    }
