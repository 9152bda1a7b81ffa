"""Server-side inline SVG charts for the results page (and the PDF report).

The geometry is computed here; the SVG is written by an auto-escaping template (the radar,
`assessment/_results_radar_svg.html`) or `format_html` (the small strips), so no text is ever
marked safe by hand. No JavaScript and no style attributes (the Content-Security-Policy
forbids inline styles): colours and lines are SVG presentation attributes. Every chart is
`role="img"` with a <title> (and the radar a <desc>); the page gives the same figures as tables.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from assessment.benchmark import Stats
from assessment.results import ActionResult, PeerComparison, Results

COLOURS = {
    "own": "#003399",  # portal blue
    "peer": "#8a4b00",  # dark amber, 6.1:1 on white
    "grid": "#adb5bd",
    "text": "#212529",
    "muted": "#495057",
    "marker": "#8b1a1a",
    "box": "#c6d4f0",
}
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


def _fmt(value: float) -> str:
    """A coordinate with at most one decimal and no trailing zero."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _score(value: float | None) -> str:
    return _("no score") if value is None else f"{value:.1f}"


def _wrap(text: str, width: int) -> list[str]:
    """Split a label into lines of about `width` characters, at spaces."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def _points_attr(points: Iterable[tuple[float, float]]) -> str:
    return " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in points)


# --- Radar -----------------------------------------------------------------

RADAR_WIDTH, RADAR_HEIGHT = 620, 530
CENTRE_X, CENTRE_Y, RADIUS = 310, 245, 165
LABEL_SIZE, LINE_HEIGHT, LABEL_WIDTH = 14, 16, 16
RINGS = (25, 50, 75, 100)  # the band boundaries


@dataclass(frozen=True)
class Line:
    x: str
    y: str
    text: str
    bold: bool = False


@dataclass(frozen=True)
class AxisLabel:
    anchor: str
    lines: tuple[Line, ...]


def _point(index: int, count: int, value: float, radius: float = RADIUS) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    distance = radius * value / 100
    return CENTRE_X + distance * math.cos(angle), CENTRE_Y + distance * math.sin(angle)


def _series(values: list[float | None]) -> list[tuple[float, float]]:
    """Vertices of the scores that exist: an Action without a score is left out, never 0."""
    return [_point(i, len(values), v) for i, v in enumerate(values) if v is not None]


def _axis_label(index: int, count: int, action: ActionResult) -> AxisLabel:
    x, y = _point(index, count, 100, radius=RADIUS + 16)
    if abs(x - CENTRE_X) < 1:
        anchor = "middle"
    else:
        anchor = "start" if x > CENTRE_X else "end"
    texts = [
        _("Action %(number)d") % {"number": action.number},
        *_wrap(str(action.short_title), LABEL_WIDTH),
    ]
    if action.score is None:
        texts.append(_("(no score)"))
    # Labels above the chart grow upwards; below it, downwards; at the sides, centred.
    if y < CENTRE_Y - RADIUS:
        top = y - LINE_HEIGHT * (len(texts) - 1)
    elif y > CENTRE_Y + RADIUS:
        top = y + 12
    else:
        top = y - LINE_HEIGHT * (len(texts) - 1) / 2 + 4
    return AxisLabel(
        anchor=anchor,
        lines=tuple(
            Line(x=_fmt(x), y=_fmt(top + n * LINE_HEIGHT), text=text, bold=n == 0)
            for n, text in enumerate(texts)
        ),
    )


def _description(results: Results, has_median: bool) -> str:
    parts = []
    for a in results.actions:
        part = _("Action %(number)d %(title)s: %(score)s") % {
            "number": a.number,
            "title": a.short_title,
            "score": _score(a.score),
        }
        if a.peer_median is not None:
            part += " (" + _("peer median %(median)s") % {"median": _score(a.peer_median)} + ")"
        parts.append(part)
    text = "; ".join(parts) + "."
    if not has_median:
        text += " " + _("No peer median: not enough peers to compare.")
    return text


def radar_context(results: Results, *, html_id: str = "radar") -> dict:
    """Everything the radar template draws: six Action scores against the peer median."""
    actions = results.actions
    count = len(actions)
    median = [a.peer_median for a in actions]
    has_median = any(m is not None for m in median)
    own_points = _series([a.score for a in actions])
    rings = []
    for ring in RINGS:
        # The ring's value sits mid-edge between Actions 1 and 2, away from the data points.
        (x0, y0), (x1, y1) = _point(0, count, ring), _point(1, count, ring)
        rings.append(
            {
                "points": _points_attr(_point(i, count, ring) for i in range(count)),
                "value": ring,
                "x": _fmt((x0 + x1) / 2),
                "y": _fmt((y0 + y1) / 2 + 4),
            }
        )
    legend_y = RADAR_HEIGHT - 14
    return {
        "id": html_id,
        "width": RADAR_WIDTH,
        "height": RADAR_HEIGHT,
        "font": FONT,
        "colours": COLOURS,
        "label_size": LABEL_SIZE,
        "title": _("Action scores of %(authority)s, %(cycle)s, compared with the peer median")
        % {"authority": results.authority_name, "cycle": results.cycle},
        "desc": _description(results, has_median),
        "centre": {"x": CENTRE_X, "y": CENTRE_Y},
        "rings": rings,
        "axes": [
            {"x": _fmt(x), "y": _fmt(y)} for x, y in (_point(i, count, 100) for i in range(count))
        ],
        "labels": [_axis_label(i, count, a) for i, a in enumerate(actions)],
        "median_points": _points_attr(_series(median)) if has_median else "",
        "own_shape": "polygon"
        if len(own_points) >= 3
        else "polyline"
        if len(own_points) == 2
        else "",
        "own_points": _points_attr(own_points),
        "dots": [{"x": _fmt(x), "y": _fmt(y)} for x, y in own_points],
        "legend": {"y": legend_y, "box_y": legend_y - 11, "line_y": legend_y - 5},
    }


def radar_chart(results: Results, *, html_id: str = "radar") -> SafeString:
    """The radar as inline SVG (auto-escaped template)."""
    return render_to_string(
        "assessment/_results_radar_svg.html", radar_context(results, html_id=html_id)
    )


# --- Distribution strip ----------------------------------------------------

STRIP_WIDTH, STRIP_HEIGHT, STRIP_PAD = 160, 24, 6


def _x(value: float) -> float:
    return STRIP_PAD + (STRIP_WIDTH - 2 * STRIP_PAD) * max(0.0, min(100.0, value)) / 100


def strip_context(*, stats: Stats, own: float | None, label: str) -> dict | None:
    """Geometry of a strip: Q1-median-Q3 on a 0-100 scale and the authority's position.

    None when the group is suppressed (no statistics may be drawn either).
    """
    if stats.suppressed or stats.q1 is None or stats.median is None or stats.q3 is None:
        return None
    mid = STRIP_HEIGHT // 2
    diamond = ""
    if own is not None:
        cx = _x(own)
        diamond = _points_attr([(cx, mid - 7), (cx + 6, mid), (cx, mid + 7), (cx - 6, mid)])
    return {
        "width": STRIP_WIDTH,
        "height": STRIP_HEIGHT,
        "colours": COLOURS,
        "title": _(
            "%(group)s: middle half of peers from %(q1)s to %(q3)s, median %(median)s; "
            "your score %(own)s"
        )
        % {
            "group": label,
            "q1": _score(stats.q1),
            "q3": _score(stats.q3),
            "median": _score(stats.median),
            "own": _score(own),
        },
        "mid": mid,
        "start": _fmt(_x(0)),
        "end": _fmt(_x(100)),
        "ticks": [_fmt(_x(edge)) for edge in (0, 25, 50, 75, 100)],
        "tick_top": mid - 4,
        "tick_bottom": mid + 4,
        "box": {
            "x": _fmt(_x(stats.q1)),
            "y": mid - 6,
            "width": _fmt(max(_x(stats.q3) - _x(stats.q1), 1.5)),
        },
        "median": {"x": _fmt(_x(stats.median)), "top": mid - 8, "bottom": mid + 8},
        "diamond": diamond,
    }


STRIP_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" class="distribution" role="img" '
    'viewBox="0 0 {width} {height}" width="{width}" height="{height}"><title>{title}</title>'
    '<line x1="{start}" y1="{mid}" x2="{end}" y2="{mid}" stroke="{grid}" stroke-width="1.5"/>'
    "{ticks}"
    '<rect x="{box_x}" y="{box_y}" width="{box_width}" height="12" fill="{box}" stroke="{own}" '
    'stroke-width="1"/>'
    '<line x1="{median_x}" y1="{median_top}" x2="{median_x}" y2="{median_bottom}" '
    'stroke="{own}" stroke-width="2.5"/>'
    "{diamond}</svg>"
)
STRIP_TICK = '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>'
STRIP_DIAMOND = '<polygon points="{}" fill="{}" stroke="#ffffff" stroke-width="1.5"/>'


def distribution_strip(*, stats: Stats, own: float | None, label: str) -> SafeString | None:
    """The strip as inline SVG, or None when the group is suppressed.

    Built with format_html (every value escaped) rather than a template: a results page has
    21 strips, and a template render each would cost more than the rest of the page's logic.
    """
    c = strip_context(stats=stats, own=own, label=label)
    if c is None:
        return None
    colours = c["colours"]
    ticks = format_html_join(
        "",
        STRIP_TICK,
        ((x, c["tick_top"], x, c["tick_bottom"], colours["grid"]) for x in c["ticks"]),
    )
    diamond = format_html(STRIP_DIAMOND, c["diamond"], colours["marker"]) if c["diamond"] else ""
    return format_html(
        STRIP_SVG,
        width=c["width"],
        height=c["height"],
        title=c["title"],
        start=c["start"],
        end=c["end"],
        mid=c["mid"],
        grid=colours["grid"],
        ticks=ticks,
        box_x=c["box"]["x"],
        box_y=c["box"]["y"],
        box_width=c["box"]["width"],
        box=colours["box"],
        own=colours["own"],
        median_x=c["median"]["x"],
        median_top=c["median"]["top"],
        median_bottom=c["median"]["bottom"],
        diamond=diamond,
    )


def strips_for(
    peers: Iterable[PeerComparison], own: float | None
) -> list[tuple[PeerComparison, SafeString | None]]:
    """Each peer group with its strip (None when suppressed)."""
    return [
        (peer, distribution_strip(stats=peer.stats, own=own, label=peer.label)) for peer in peers
    ]
