"""Server-rendered SVG charts: no JavaScript, no inline styles (so they live under the
strict CSP), readable in print and in greyscale. Every series differs in colour, dash
pattern and marker shape; the parents' own rating uses hollow markers and a thin line.
The same numbers are always in a table beside the chart, so the SVG is a picture only."""

from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 330
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 96
SCALE_MIN, SCALE_MAX = 1, 5
COLOURS = ("#1d70b8", "#00703c", "#912b88")
DASHES = ("", "8 4", "2 4")
MARKERS = ("circle", "square", "triangle")
MARKER_SIZE = 5
AXIS_LABEL_WIDTH = 80  # a short date at 13px, with a little air


@dataclass(frozen=True)
class ChartSeriesPoint:
    on: date
    scores: dict[str, int]


@dataclass(frozen=True)
class _Plot:
    first: date
    last: date

    def x(self, on: date) -> float:
        span = (self.last - self.first).days
        inner = WIDTH - LEFT - RIGHT
        if span == 0:
            return LEFT + inner / 2
        return LEFT + inner * (on - self.first).days / span

    @staticmethod
    def y(score: int) -> float:
        inner = HEIGHT - TOP - BOTTOM
        return TOP + inner * (SCALE_MAX - score) / (SCALE_MAX - SCALE_MIN)


def _marker(shape: str, x: float, y: float, colour: str, hollow: bool) -> str:
    fill = "#ffffff" if hollow else colour
    paint = f'fill="{fill}" stroke="{colour}" stroke-width="2"'
    size = MARKER_SIZE
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{size}" {paint}/>'
    if shape == "square":
        return f'<rect x="{x - size:.1f}" y="{y - size:.1f}" width="{2 * size}" height="{2 * size}" {paint}/>'
    points = f"{x:.1f},{y - size - 1:.1f} {x - size - 1:.1f},{y + size:.1f} {x + size + 1:.1f},{y + size:.1f}"
    return f'<polygon points="{points}" {paint}/>'


def _text(x: float, y: float, content: str, *, size: int = 14, anchor: str = "start") -> str:
    position = f'x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" font-family="Arial, sans-serif"'
    return f'<text {position} fill="#0b0c0c">{escape(content)}</text>'


def _dash(index: int) -> str:
    return f' stroke-dasharray="{DASHES[index]}"' if DASHES[index] else ""


def _series(plot: _Plot, points: list[ChartSeriesPoint], dimension: str, index: int, *, hollow: bool) -> str:
    colour, shape = COLOURS[index], MARKERS[index]
    coordinates = [(plot.x(point.on), plot.y(point.scores[dimension])) for point in points]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coordinates)
    width = 1 if hollow else 3
    line = f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="{width}"{_dash(index)}/>'
    markers = "".join(_marker(shape, x, y, colour, hollow) for x, y in coordinates)
    kind = "parent" if hollow else "officer"
    return f'<g class="chart-series chart-series--{kind}" data-dimension="{escape(dimension)}">{line}{markers}</g>'


def _grid(plot: _Plot, dates: list[date]) -> str:
    parts = []
    for score in range(SCALE_MIN, SCALE_MAX + 1):
        y = plot.y(score)
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#b1b4b6" stroke-width="1"/>'
        )
        parts.append(_text(LEFT - 10, y + 5, str(score), anchor="end"))
    axis_y = plot.y(SCALE_MIN) + 22
    for on in _axis_dates(plot, dates):
        parts.append(_text(plot.x(on), axis_y, date_format(on, "SHORT_DATE_FORMAT"), size=13, anchor=_anchor(plot, on)))
    return "".join(parts)


def _anchor(plot: _Plot, on: date) -> str:
    """The first and last dates sit at the edges of the plot: their labels grow inwards."""
    if plot.first == plot.last:
        return "middle"
    return {plot.first: "start", plot.last: "end"}.get(on, "middle")


def _axis_dates(plot: _Plot, dates: list[date]) -> list[date]:
    """First, last and, when there is room, the one in the middle."""
    unique = sorted(set(dates))
    if len(unique) <= 2:
        return unique
    middle = unique[len(unique) // 2]
    room = min(plot.x(middle) - plot.x(unique[0]), plot.x(unique[-1]) - plot.x(middle))
    if room < AXIS_LABEL_WIDTH * 1.5:
        return [unique[0], unique[-1]]
    return [unique[0], middle, unique[-1]]


def _legend(labels: dict[str, str], parent_label: str, has_parent: bool) -> str:
    parts = []
    top = HEIGHT - BOTTOM + 44
    column = (WIDTH - LEFT) / 3
    for index, label in enumerate(labels.values()):
        x = LEFT + index * column
        colour = COLOURS[index]
        line = f'x1="{x:.1f}" y1="{top}" x2="{x + 36:.1f}" y2="{top}" stroke="{colour}" stroke-width="3"{_dash(index)}'
        parts.append(f"<line {line}/>")
        parts.append(_marker(MARKERS[index], x + 18, top, colour, hollow=False))
        parts.append(_text(x + 44, top + 5, label))
    if has_parent:
        y = top + 26
        parts.append(_marker("circle", LEFT + 18, y, "#505a5f", hollow=True))
        parts.append(_text(LEFT + 44, y + 5, parent_label))
    return "".join(parts)


def progress_chart_svg(
    reviews: list[ChartSeriesPoint],
    parent_ratings: list[ChartSeriesPoint],
    *,
    labels: dict[str, str],
    title: str,
    description: str,
    parent_label: str,
    id_prefix: str = "progress-chart",
) -> SafeString:
    """The three dimensions over time: officer's reviews as solid-marker lines, the
    parents' ratings as hollow markers on thin lines. Empty when there is nothing to draw."""
    dates = [point.on for point in [*reviews, *parent_ratings]]
    if not dates:
        return mark_safe("")  # nosec B308 B703 - an empty string
    plot = _Plot(first=min(dates), last=max(dates))
    series = []
    for index, dimension in enumerate(labels):
        if reviews:
            series.append(_series(plot, reviews, dimension, index, hollow=False))
        if parent_ratings:
            series.append(_series(plot, parent_ratings, dimension, index, hollow=True))
    prefix = escape(id_prefix)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'role="img" aria-labelledby="{prefix}-title {prefix}-desc" focusable="false">'
        f'<title id="{prefix}-title">{escape(title)}</title>'
        f'<desc id="{prefix}-desc">{escape(description)}</desc>'
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>'
        f"{_grid(plot, dates)}{''.join(series)}{_legend(labels, parent_label, bool(parent_ratings))}"
        "</svg>"
    )
    return mark_safe(svg)  # noqa: S308  # nosec B308 B703 - every text is escaped above; the rest is numbers


BAR_LABEL_WIDTH = 200  # room for the category names left of the bars
BAR_NUMBER_ROOM = 150  # room right of the longest bar for its number and series name
BAR_HEIGHT, BAR_GAP, GROUP_GAP = 20, 4, 16
LEGEND_HEIGHT = 36


@dataclass(frozen=True)
class BarGroup:
    """One category of a bar chart (for example one referral source) with one value per series."""

    label: str
    values: tuple[int, ...]


def _bar_patterns(prefix: str, count: int) -> str:
    """Series fills that differ in more than colour: solid, hatched, dotted."""
    parts = []
    for index in range(count):
        colour = COLOURS[index % len(COLOURS)]
        marks = (
            "",
            '<path d="M0,8 L8,0 M-2,2 L2,-2 M6,10 L10,6" stroke="#ffffff" stroke-width="2"/>',
            '<circle cx="4" cy="4" r="1.8" fill="#ffffff"/>',
        )[index % 3]
        parts.append(
            f'<pattern id="{prefix}-fill-{index}" patternUnits="userSpaceOnUse" width="8" height="8">'
            f'<rect x="0" y="0" width="8" height="8" fill="{colour}"/>{marks}</pattern>'
        )
    return f"<defs>{''.join(parts)}</defs>"


def _bar(prefix: str, index: int, x: float, y: float, width: float) -> str:
    colour = COLOURS[index % len(COLOURS)]
    return (
        f'<rect class="chart-bar" data-series="{index}" x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" '
        f'height="{BAR_HEIGHT}" fill="url(#{prefix}-fill-{index})" stroke="{colour}" stroke-width="1"/>'
    )


def bar_chart_svg(
    groups: list[BarGroup],
    *,
    title: str,
    description: str,
    series: tuple[str, ...] = (),
    id_prefix: str = "bar-chart",
) -> SafeString:
    """Horizontal bars, one group per category and one bar per series. Every bar carries
    its number (and, with more than one series, the series name), and the series differ in
    fill pattern as well as colour, so the chart reads in greyscale. Empty without groups."""
    if not groups:
        return mark_safe("")  # nosec B308 B703 - an empty string
    prefix = escape(id_prefix)
    per_group = max(len(group.values) for group in groups)
    group_height = per_group * BAR_HEIGHT + (per_group - 1) * BAR_GAP
    named = len(series) > 1
    height = TOP + len(groups) * (group_height + GROUP_GAP) + (LEGEND_HEIGHT if named else 0)
    largest = max((value for group in groups for value in group.values), default=0)
    room = WIDTH - BAR_LABEL_WIDTH - BAR_NUMBER_ROOM - RIGHT
    parts = []
    for row, group in enumerate(groups):
        top = TOP + row * (group_height + GROUP_GAP)
        parts.append(_text(BAR_LABEL_WIDTH - 10, top + group_height / 2 + 5, group.label, anchor="end"))
        for index, value in enumerate(group.values):
            y = top + index * (BAR_HEIGHT + BAR_GAP)
            width = room * value / largest if largest else 0
            if width:
                parts.append(_bar(prefix, index, BAR_LABEL_WIDTH, y, width))
            number = f"{value} · {series[index]}" if named else str(value)
            parts.append(_text(BAR_LABEL_WIDTH + width + 6, y + BAR_HEIGHT - 5, number))
    bars_bottom = TOP + len(groups) * (group_height + GROUP_GAP) - GROUP_GAP
    axis = (
        f'<line x1="{BAR_LABEL_WIDTH}" y1="{TOP - 4}" x2="{BAR_LABEL_WIDTH}" y2="{bars_bottom + 4}" '
        'stroke="#0b0c0c" stroke-width="1"/>'
    )
    legend = []
    if named:
        top = height - LEGEND_HEIGHT + 8
        column = (WIDTH - BAR_LABEL_WIDTH) / len(series)
        for index, name in enumerate(series):
            x = BAR_LABEL_WIDTH + index * column
            colour = COLOURS[index % len(COLOURS)]
            legend.append(
                f'<rect x="{x:.1f}" y="{top}" width="24" height="16" fill="url(#{prefix}-fill-{index})" '
                f'stroke="{colour}" stroke-width="1"/>'
            )
            legend.append(_text(x + 32, top + 13, name))
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'role="img" aria-labelledby="{prefix}-title {prefix}-desc" focusable="false">'
        f'<title id="{prefix}-title">{escape(title)}</title>'
        f'<desc id="{prefix}-desc">{escape(description)}</desc>'
        f"{_bar_patterns(prefix, per_group)}"
        f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#ffffff"/>'
        f"{''.join(parts)}{axis}{''.join(legend)}"
        "</svg>"
    )
    return mark_safe(svg)  # noqa: S308  # nosec B308 B703 - every text is escaped above; the rest is numbers
