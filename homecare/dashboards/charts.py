"""Server-side SVG charts: no JavaScript, so the same string works in a page
and in a PDF (WeasyPrint draws inline SVG). Every chart names itself with
<title> and <desc> through aria-labelledby; the figures are also given as a
table (see templates/dashboards/_chart.html) because a picture of numbers is
not enough for a screen reader user."""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from django.utils.safestring import SafeString, mark_safe

from homecare.ui import formats

# GOV.UK colours: blue bars, black text, and the RAG limits as dashed lines.
BAR = "#1d70b8"
TEXT = "#0b0c0c"
AXIS = "#505a5f"
GREEN_LINE = "#00703c"
RED_LINE = "#d4351c"
WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 64, 12, 44, 44


@dataclass
class Chart:
    """A bar chart of one measure over months, ready to draw or tabulate."""

    slug: str
    title: str
    description: str
    points: list[tuple[str, float | None]]
    unit: str = "number"
    limits: list[tuple[str, float]] = field(default_factory=list)
    key: str = ""  # the measure charted

    def formatted(self, value: float | None) -> str:
        return formats.display(value, self.unit)

    @property
    def rows(self) -> list[tuple[str, str]]:
        return [(label, self.formatted(value)) for label, value in self.points]

    @property
    def svg(self) -> SafeString:
        return bar_chart_svg(self)


def _nice_top(value: float) -> float:
    """A round number at or above the highest bar, so the axis reads simply."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** len(str(int(value))) / 10
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return value


def bar_chart_svg(chart: Chart) -> SafeString:
    """The chart as an inline SVG string. Months with no result draw no bar and
    are named "no data" under the axis."""
    values = [v for _, v in chart.points if v is not None]
    top = _nice_top(max([*values, *(limit for _, limit in chart.limits), 0.0]))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(chart.points), 1)
    title_id, desc_id = f"{chart.slug}-title", f"{chart.slug}-desc"

    def y(value: float) -> float:
        return TOP + plot_h - (value / top) * plot_h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" viewBox="0 0 {WIDTH} {HEIGHT}"'
        f' width="100%" role="img" aria-labelledby="{title_id} {desc_id}"'
        ' preserveAspectRatio="xMinYMin meet" font-family="Arial, sans-serif">',
        f'<title id="{title_id}">{escape(chart.title)}</title>',
        f'<desc id="{desc_id}">{escape(chart.description)}</desc>',
    ]
    # Axis with three labelled gridlines: 0, half and top.
    for fraction in (0, 0.5, 1):
        gridline = top * fraction
        gy = y(gridline)
        parts.append(
            f'<line x1="{LEFT}" y1="{gy:.1f}" x2="{WIDTH - RIGHT}" y2="{gy:.1f}"'
            f' stroke="#b1b4b6" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{gy + 5:.1f}" text-anchor="end" font-size="14"'
            f' fill="{TEXT}">{escape(formats.axis(gridline, chart.unit))}</text>'
        )
    for index, (label, value) in enumerate(chart.points):
        x = LEFT + index * slot
        centre = x + slot / 2
        if value is not None:
            bar_w = slot * 0.6
            parts.append(
                f'<rect x="{centre - bar_w / 2:.1f}" y="{y(max(value, 0)):.1f}"'
                f' width="{bar_w:.1f}" height="{plot_h + TOP - y(max(value, 0)):.1f}"'
                f' fill="{BAR}"/>'
            )
        parts.append(
            f'<text x="{centre:.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle"'
            f' font-size="13" fill="{TEXT}">{escape(label)}</text>'
        )
        if value is None:
            parts.append(
                f'<text x="{centre:.1f}" y="{HEIGHT - BOTTOM + 34}" text-anchor="middle"'
                f' font-size="12" fill="{AXIS}">no data</text>'
            )
    # The limits as dashed lines, named in a key above the plot so that no
    # label sits on top of a bar.
    key_x = LEFT
    for name, limit in chart.limits:
        colour = GREEN_LINE if name.lower().startswith("green") else RED_LINE
        ly = y(limit)
        dash = "6 4" if colour == GREEN_LINE else "2 3"
        parts.append(
            f'<line x1="{LEFT}" y1="{ly:.1f}" x2="{WIDTH - RIGHT}" y2="{ly:.1f}"'
            f' stroke="{colour}" stroke-width="2" stroke-dasharray="{dash}"/>'
        )
        parts.append(
            f'<line x1="{key_x}" y1="14" x2="{key_x + 28}" y2="14" stroke="{colour}"'
            f' stroke-width="2" stroke-dasharray="{dash}"/>'
        )
        label = f"{name} {chart.formatted(limit)}"
        parts.append(
            f'<text x="{key_x + 34}" y="19" font-size="14" fill="{TEXT}">{escape(label)}</text>'
        )
        key_x += 34 + 8 * len(label) + 24
    parts.append(
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}"'
        f' stroke="{AXIS}" stroke-width="1"/>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
