"""Charts as inline SVG, drawn on the server: no script, no CDN, readable by screen readers.

Every chart has a <title> and a <desc> that says in words what it shows (range, interval,
how many points lack data), and every mark has its own <title> with the whole figure
("12 min (95% CI 9–15), n = 340"), which browsers show on hover. Figures below MIN_N are drawn
hollow or hatched and never joined into a line, so a thin sample cannot pass for a trend.
All text is escaped; the functions return markup strings.
"""

import math
import re
from dataclasses import dataclass
from html import escape

from townsquare.insights.display import Scale, figure_text, scale_for
from townsquare.insights.figures import Figure

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 60, 16, 14, 42
INK, MUTED, LINE, ACCENT, BAND = "#1c2430", "#5a6575", "#d9dee5", "#1f5fbf", "#c9dcf7"
PALE, EMPTY = "#eaf2ff", "#f5f7fa"
HATCH = "M0,6 l6,-6"
MAX_BAR = 90


@dataclass(frozen=True)
class Mark:
    """One x position: its label and figure (or a plain number)."""

    label: str
    figure: Figure | float | int | None

    @property
    def usable(self) -> bool:
        if isinstance(self.figure, Figure):
            return not self.figure.too_small
        return isinstance(self.figure, (int, float)) and not math.isnan(self.figure)

    @property
    def value(self) -> float | None:
        if isinstance(self.figure, Figure):
            return self.figure.value
        return float(self.figure) if self.usable else None

    @property
    def ci(self) -> tuple[float, float] | None:
        if isinstance(self.figure, Figure) and self.usable and self.figure.ci95 is not None:
            low, high = self.figure.ci95
            if low is not None and high is not None:
                return float(low), float(high)
        return None


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-") or "chart"


def attr(text) -> str:
    return escape(str(text), quote=True)


def marks_of(points) -> list[Mark]:
    """Marks from (label, figure) pairs or {"x": …, "y": …} points."""
    marks = []
    for point in points:
        if isinstance(point, dict):
            marks.append(Mark(str(point.get("x", "")), point.get("y")))
        else:
            label, figure = point
            marks.append(Mark(str(label), figure))
    return marks


def nice_ticks(high: float, count: int = 4) -> list[float]:
    """Round tick values from 0 up to at least `high` (in display units)."""
    if high <= 0 or math.isnan(high):
        return [0.0, 1.0]
    raw = high / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(power * m for m in (1, 2, 2.5, 5, 10) if power * m >= raw)
    ticks = [0.0]
    while ticks[-1] < high - 1e-9:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


@dataclass
class Frame:
    """The plot area and the y scale shared by line and bar charts."""

    marks: list[Mark]
    unit: str

    def __post_init__(self):
        highs = [m.ci[1] if m.ci else m.value for m in self.marks if m.usable]
        highs = [h for h in highs if h is not None and not math.isnan(h)]
        top = max(highs) if highs else 0.0
        typical = [m.value for m in self.marks if m.usable]
        self.scale: Scale = scale_for(self.unit, max(typical, key=abs) if typical else top)
        self.ticks = nice_ticks(self.scale.apply(max(top, 0.0)))
        self.y_max = self.ticks[-1] or 1.0

    @property
    def plot_width(self) -> float:
        return WIDTH - LEFT - RIGHT

    def x(self, index: int) -> float:
        step = self.plot_width / max(len(self.marks), 1)
        return LEFT + step * (index + 0.5)

    def y(self, raw: float) -> float:
        shown = max(self.scale.apply(raw), 0.0)
        return TOP + (HEIGHT - TOP - BOTTOM) * (1 - min(shown, self.y_max) / self.y_max)

    def axes(self) -> str:
        parts = []
        for tick in self.ticks:
            y = TOP + (HEIGHT - TOP - BOTTOM) * (1 - tick / self.y_max)
            parts.append(
                f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="{LINE}"/>'
                f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12" fill="{MUTED}">'
                f"{attr(self.scale.text(tick * self.scale.divisor))}</text>"
            )
        # Leave every other label out (or more) when they would overlap.
        longest = max((min(len(m.label), 12) for m in self.marks), default=1)
        fits = max(1, int(self.plot_width // (longest * 7.2 + 10)))
        every = max(1, math.ceil(len(self.marks) / fits))
        for index, mark in enumerate(self.marks):
            if index % every:
                continue
            label = mark.label if len(mark.label) <= 12 else mark.label[:11] + "…"
            parts.append(
                f'<text x="{self.x(index):.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" '
                f'font-size="12" fill="{MUTED}">{attr(label)}</text>'
            )
        return "".join(parts)


def _nothing(marks: list[Mark]) -> str:
    """A chart with no points says so in the plot, rather than showing bare axes."""
    if marks:
        return ""
    return (
        f'<text x="{LEFT + (WIDTH - LEFT - RIGHT) / 2:.1f}" y="{(HEIGHT - BOTTOM + TOP) / 2:.1f}" '
        f'text-anchor="middle" font-size="13" fill="{MUTED}">No data in this range</text>'
    )


def _svg(prefix: str, title: str, desc: str, body: str, kind: str, height: int = HEIGHT) -> str:
    return (
        f'<svg class="chart chart-{kind}" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'xmlns="http://www.w3.org/2000/svg" aria-labelledby="{prefix}-title {prefix}-desc" '
        f'data-chart="{kind}" preserveAspectRatio="xMidYMid meet">'
        f'<title id="{prefix}-title">{attr(title)}</title><desc id="{prefix}-desc">{attr(desc)}</desc>'
        f"{body}</svg>"
    )


def _hatch(prefix: str) -> str:
    return (
        f'<defs><pattern id="{prefix}-hatch" width="6" height="6" patternUnits="userSpaceOnUse">'
        f'<path d="{HATCH}" stroke="{MUTED}" stroke-width="1"/></pattern></defs>'
    )


def describe(kind: str, marks: list[Mark], frame: Frame, unit: str) -> str:
    usable = [m for m in marks if m.usable]
    if not usable:
        return f"{kind}: no figure has enough data yet ({len(marks)} without)."
    low = min(usable, key=lambda m: m.value)
    high = max(usable, key=lambda m: m.value)
    text = (
        f"{kind} of {len(marks)} values from {marks[0].label} to {marks[-1].label}. "
        f"Lowest {frame.scale.text(low.value)} ({low.label}), highest {frame.scale.text(high.value)} "
        f"({high.label})."
    )
    if any(m.ci for m in usable):
        text += " The shaded range is the 95% confidence interval."
    missing = len(marks) - len(usable)
    if missing:
        text += f" {missing} without enough data, drawn hollow."
    return text


def line_chart(points, *, title: str, unit: str = "", name: str = "") -> str:
    """A line through the figures with their 95% intervals as a band; gaps where data is thin."""
    marks = marks_of(points)
    prefix = f"chart-{slug(name or title)}"
    frame = Frame(marks, unit)
    body = [frame.axes(), _nothing(marks)]
    # Runs of consecutive usable points: the line and band never bridge a thin point.
    runs, run = [], []
    for index, mark in enumerate(marks):
        if mark.usable:
            run.append(index)
        elif run:
            runs.append(run)
            run = []
    if run:
        runs.append(run)
    for run in runs:
        with_ci = [i for i in run if marks[i].ci]
        if len(with_ci) == len(run) and len(run) > 1:
            upper = [f"{frame.x(i):.1f},{frame.y(marks[i].ci[1]):.1f}" for i in run]
            lower = [f"{frame.x(i):.1f},{frame.y(marks[i].ci[0]):.1f}" for i in reversed(run)]
            body.append(f'<polygon class="ci-band" points="{" ".join(upper + lower)}" fill="{BAND}"/>')
        if len(run) > 1:
            line = " ".join(f"{frame.x(i):.1f},{frame.y(marks[i].value):.1f}" for i in run)
            body.append(f'<polyline points="{line}" fill="none" stroke="{ACCENT}" stroke-width="2"/>')
    for index, mark in enumerate(marks):
        tip = f"{mark.label}: {figure_text(mark.figure, unit)}"
        if mark.usable:
            if mark.ci and _alone(runs, index):
                body.append(_whisker(frame, index, mark))
            body.append(
                f'<circle class="point" cx="{frame.x(index):.1f}" cy="{frame.y(mark.value):.1f}" r="3.5" '
                f'fill="{ACCENT}"><title>{attr(tip)}</title></circle>'
            )
        else:
            body.append(
                f'<circle class="point too-small" cx="{frame.x(index):.1f}" cy="{HEIGHT - BOTTOM - 4}" '
                f'r="3.5" fill="#fff" stroke="{MUTED}"><title>{attr(tip)}</title></circle>'
            )
    return _svg(prefix, title, describe("Line chart", marks, frame, unit), "".join(body), "line")


def _alone(runs: list[list[int]], index: int) -> bool:
    return any(run == [index] for run in runs)


def _whisker(frame: Frame, index: int, mark: Mark) -> str:
    x, (low, high) = frame.x(index), mark.ci
    top, bottom = frame.y(high), frame.y(low)
    return (
        f'<g class="whisker" stroke="{INK}" stroke-width="1.2">'
        f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top:.1f}" y2="{bottom:.1f}"/>'
        f'<line x1="{x - 5:.1f}" x2="{x + 5:.1f}" y1="{top:.1f}" y2="{top:.1f}"/>'
        f'<line x1="{x - 5:.1f}" x2="{x + 5:.1f}" y1="{bottom:.1f}" y2="{bottom:.1f}"/></g>'
    )


def bar_chart(points, *, title: str, unit: str = "", name: str = "") -> str:
    """One bar per figure with a whisker for its 95% interval; thin samples hatched at zero."""
    marks = marks_of(points)
    prefix = f"chart-{slug(name or title)}"
    frame = Frame(marks, unit)
    width = min(frame.plot_width / max(len(marks), 1) * 0.6, MAX_BAR)
    body = [_hatch(prefix), frame.axes(), _nothing(marks)]
    baseline = frame.y(0.0)
    for index, mark in enumerate(marks):
        x = frame.x(index) - width / 2
        tip = attr(f"{mark.label}: {figure_text(mark.figure, unit)}")
        if mark.usable:
            top = frame.y(mark.value)
            body.append(
                f'<rect class="bar" x="{x:.1f}" y="{top:.1f}" width="{width:.1f}" '
                f'height="{max(baseline - top, 0.5):.1f}" fill="{ACCENT}"><title>{tip}</title></rect>'
            )
            if mark.ci:
                body.append(_whisker(frame, index, mark))
        else:
            body.append(
                f'<rect class="bar too-small" x="{x:.1f}" y="{baseline - 12:.1f}" width="{width:.1f}" '
                f'height="12" fill="url(#{prefix}-hatch)" stroke="{MUTED}"><title>{tip}</title></rect>'
            )
    desc = describe("Bar chart", marks, frame, unit).replace("shaded range", "whisker on each bar")
    return _svg(prefix, title, desc.replace("drawn hollow", "drawn hatched"), "".join(body), "bar")


def heat_map(rows, columns, cells, *, title: str, unit: str = "", name: str = "") -> str:
    """A grid coloured by value (darker is more); cells without enough data are hatched."""
    rows, columns = [str(r) for r in rows], [str(c) for c in columns]
    prefix = f"chart-{slug(name or title)}"
    grid = [
        [Mark(f"{row} {column}", _cell(cells, r, c)) for c, column in enumerate(columns)]
        for r, row in enumerate(rows)
    ]
    usable = [m.value for line in grid for m in line if m.usable]
    high = max(usable) if usable else 0.0
    low = min(usable) if usable else 0.0
    scale = scale_for(unit, high)
    left, top = 44, 22
    cell_w = (WIDTH - left - RIGHT) / max(len(columns), 1)
    cell_h = 22
    height = top + cell_h * len(rows) + 40
    body = [_hatch(prefix)]
    every = max(1, math.ceil(len(columns) / 24))
    for c, column in enumerate(columns):
        if c % every == 0:
            body.append(
                f'<text x="{left + cell_w * (c + 0.5):.1f}" y="{top - 6}" text-anchor="middle" '
                f'font-size="11" fill="{MUTED}">{attr(column)}</text>'
            )
    for r, row in enumerate(rows):
        y = top + cell_h * r
        body.append(
            f'<text x="{left - 6}" y="{y + cell_h / 2 + 4:.1f}" text-anchor="end" font-size="12" '
            f'fill="{MUTED}">{attr(row)}</text>'
        )
        for c, mark in enumerate(grid[r]):
            fill = _shade(mark.value / high if high else 0.0) if mark.usable else f"url(#{prefix}-hatch)"
            tip = attr(f"{rows[r]}, {columns[c]}: {figure_text(mark.figure, unit)}")
            body.append(
                f'<rect class="cell{"" if mark.usable else " too-small"}" x="{left + cell_w * c:.1f}" '
                f'y="{y:.1f}" width="{cell_w - 1:.1f}" height="{cell_h - 1}" fill="{fill}">'
                f"<title>{tip}</title></rect>"
            )
    body.append(_legend(prefix, left, top + cell_h * len(rows) + 12, scale, high if usable else None))
    missing = sum(1 for line in grid for m in line if not m.usable)
    desc = f"Heat map of {len(rows)} rows by {len(columns)} columns; darker means more."
    if usable:
        desc += f" Values from {scale.text(low)} to {scale.text(high)}."
    if missing:
        desc += f" {missing} cells without enough data are hatched."
    return _svg(prefix, title, desc, "".join(body), "heatmap", height=height)


def _cell(cells, r: int, c: int):
    try:
        return cells[r][c]
    except (IndexError, TypeError):
        return None


def _shade(fraction: float) -> str:
    """From pale to the accent colour; `fraction` 0–1."""
    fraction = min(max(fraction, 0.0), 1.0)
    start, end = (234, 242, 255), (31, 95, 191)
    rgb = (round(a + (b - a) * fraction) for a, b in zip(start, end, strict=True))
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def _legend(prefix: str, x: float, y: float, scale: Scale, high: float | None) -> str:
    """The colour scale from 0 to the highest value (none when no cell has enough data), and the
    hatching's meaning."""
    thin = (
        f'<rect x="{x + 230}" y="{y}" width="14" height="10" fill="url(#{prefix}-hatch)" stroke="{MUTED}"/>'
        f'<text x="{x + 250}" y="{y + 9}">not enough data</text>'
    )
    if high is None:
        return f'<g class="legend" font-size="10" fill="{MUTED}">{thin}</g>'
    stops = "".join(f'<stop offset="{f}" stop-color="{_shade(f)}"/>' for f in (0, 0.5, 1))
    return (
        f'<defs><linearGradient id="{prefix}-scale">{stops}</linearGradient></defs>'
        f'<g class="legend" font-size="10" fill="{MUTED}">'
        f'<text x="{x}" y="{y + 9}">{attr(scale.text(0.0))}</text>'
        f'<rect x="{x + 36}" y="{y}" width="120" height="10" fill="url(#{prefix}-scale)"/>'
        f'<text x="{x + 162}" y="{y + 9}">{attr(scale.text(high))}</text>{thin}</g>'
    )
