"""A section's data (the contract in report.py) turned into what a template shows.

Rendering is generic: any section that returns title, figures, tables, series, heatmaps,
method, assumptions and notes gets the same page, so a new area needs no template of its own.
Missing or odd keys are skipped rather than failing the page.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from townsquare.insights import charts
from townsquare.insights.figures import Figure
from townsquare.insights.views.params import FILTER_KEYS, kept

HEADLINE_LABELS = {
    "first_response_seconds": "First response (median)",
    "resolution_seconds": "Time to resolution (median)",
    "resolution_rate": "Resolution rate",
}
# Series in these units read best as bars (separate amounts), the rest as lines (a level over time).
BAR_UNITS = ("count", "money")
MAX_TABLE_CHART_ROWS = 40


@dataclass
class Shown:
    """One figure on the page: its label, the figure, and where its drill-down goes."""

    name: str
    label: str
    figure: object
    drill_url: str = ""
    # (text, url) of the figure's successes, for a rate: "resolved" among all, say.
    successes: tuple[str, str] | None = None

    @property
    def too_small(self) -> bool:
        return isinstance(self.figure, Figure) and self.figure.too_small

    @property
    def n(self) -> int | None:
        return self.figure.n if isinstance(self.figure, Figure) else None


@dataclass
class ShownTable:
    name: str
    title: str
    dimension: str
    columns: list[tuple[str, str]]
    rows: list[dict] = field(default_factory=list)
    chart: SafeString | None = None

    @property
    def dimension_label(self) -> str:
        return self.dimension.replace("_", " ")


@dataclass
class ShownChart:
    """A chart, and for a series its points as a table (the same figures for people who cannot
    see the chart, and for copying)."""

    title: str
    svg: SafeString
    unit: str = ""
    data: list[tuple[str, object]] = field(default_factory=list)


@dataclass
class ShownSection:
    name: str
    title: str
    method: str = ""
    assumptions: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    figures: list[Shown] = field(default_factory=list)
    tables: list[ShownTable] = field(default_factory=list)
    charts: list["ShownChart"] = field(default_factory=list)
    url: str = ""


# Drill-down metrics (insights.drilldown) behind the headline figures: their n, and for a rate its
# successes. Sections give theirs in "drill_metrics" (figure or column name -> the same shape).
HEADLINE_DRILLS = {
    "first_response_seconds": {"n": "responded"},
    "resolution_seconds": {"n": "resolution_timed"},
    "resolution_rate": {"n": "all", "successes": "resolved"},
}
FILTER_DIMENSIONS = ("channel", "queue", "language", "kind", "agent", "level")
NONE_KEY = "none"


class Links:
    """Drill-down links for one page: the filter part of the query is read once, not per cell
    (a care section has a thousand figures with links)."""

    def __init__(self, query):
        self.base = reverse("insights:drill")
        self.pairs = [(key, value) for key in FILTER_KEYS for value in query.getlist(key) if value]

    def drill(self, metric: str, drill: dict | None = None) -> str:
        """The page's filters, the metric, and the row's dimension values (as filters where they
        can be one, else as group_by/group: a period, or "no value")."""
        narrowed, grouped = {}, []
        for dimension, key in (drill or {}).items():
            if dimension in FILTER_DIMENSIONS and str(key) != NONE_KEY:
                narrowed[dimension] = str(key)
            else:
                grouped += [("group_by", str(dimension)), ("group", str(key))]
        pairs = [(key, value) for key, value in self.pairs if key not in narrowed]
        pairs += [*narrowed.items(), ("metric", metric), *grouped]
        return f"{self.base}?{urlencode(pairs)}"


def shown_figure(name, label, figure, links: Links, metrics: dict | None, drill: dict | None = None) -> Shown:
    """A figure with links to the conversations behind it, when its section says which."""
    shown = Shown(name, label, figure)
    # An empty figure has nothing behind it to list.
    if not isinstance(figure, Figure) or not figure.n or not isinstance(metrics, dict):
        return shown
    if metrics.get("n"):
        shown.drill_url = links.drill(metrics["n"], drill)
    if metrics.get("successes"):
        word = str(metrics["successes"]).replace("_", " ")
        shown.successes = (f"only {word}", links.drill(metrics["successes"], drill))
    return shown


def headline(report, query) -> list[Shown]:
    links = Links(query)
    return [
        shown_figure(name, HEADLINE_LABELS.get(name, name), figure, links, HEADLINE_DRILLS.get(name))
        for name, figure in report.headline.items()
    ]


def section(name: str, data: dict, query, *, compact: bool = False) -> ShownSection:
    """The section for its own page, or `compact` for the overview: tables are then only named
    (with links to them on the section's page), which keeps the overview light."""
    data = data if isinstance(data, dict) else {}
    labels = data.get("labels") or {}
    shown = ShownSection(
        name=name,
        title=str(data.get("title") or name.replace("_", " ").capitalize()),
        method=str(data.get("method") or ""),
        assumptions=[str(a) for a in data.get("assumptions") or []],
        notes=[str(n) for n in data.get("notes") or []],
        url=f"{reverse('insights:section', args=[name])}?{kept(query)}",
    )
    metrics = data.get("drill_metrics") if isinstance(data.get("drill_metrics"), dict) else {}
    links = Links(query)
    for key, figure in (data.get("figures") or {}).items():
        shown.figures.append(shown_figure(key, str(labels.get(key, key)), figure, links, metrics.get(key)))
    for table in data.get("tables") or []:
        if compact:
            shown.tables.append(ShownTable(str(table.get("name", "")), str(table.get("title") or ""), "", []))
        else:
            shown.tables.append(_table(name, table, labels, metrics, links))
    for series in data.get("series") or []:
        shown.charts.append(_series_chart(name, series))
    for heatmap in data.get("heatmaps") or []:
        shown.charts.append(_heat_map(name, heatmap))
    return shown


def _table(section_name: str, table: dict, labels: dict, metrics: dict, links: Links) -> ShownTable:
    columns = [str(c) for c in table.get("columns") or []]
    shown = ShownTable(
        name=str(table.get("name", "")),
        title=str(table.get("title") or table.get("name") or ""),
        dimension=str(table.get("dimension") or ""),
        columns=[(c, str(labels.get(c, c.replace("_", " ")))) for c in columns],
    )
    for row in table.get("rows") or []:
        drill = row.get("drill") if isinstance(row.get("drill"), dict) else None
        cells = [
            shown_figure(c, c, row.get(c), links, metrics.get(c) if drill is not None else None, drill)
            for c in columns
        ]
        label = str(row.get("label", row.get("key", "")))
        # The row's own link lists every conversation in it (a row with no narrowing lists none).
        link = links.drill("all", drill) if drill else ""
        shown.rows.append({"label": label, "cells": cells, "drill_url": link})
    chart_column = table.get("chart") or next(
        (c for c in columns if any(isinstance(r.get(c), Figure) for r in table.get("rows") or [])), None
    )
    rows = table.get("rows") or []
    if chart_column and 0 < len(rows) <= MAX_TABLE_CHART_ROWS:
        points = [(str(r.get("label", r.get("key", ""))), r.get(chart_column)) for r in rows]
        title = f"{shown.title}: {labels.get(chart_column, chart_column.replace('_', ' '))}"
        unit = _unit_of(r.get(chart_column) for r in rows)
        svg = charts.bar_chart(points, title=title, unit=unit, name=f"{section_name}-{shown.name}")
        shown.chart = mark_safe(svg)  # noqa: S308 (charts escapes every label and value)
    return shown


def _unit_of(values) -> str:
    return next((v.unit for v in values if isinstance(v, Figure) and v.unit), "")


def _series_chart(section_name: str, series: dict) -> ShownChart:
    points = series.get("points") or []
    unit = str(series.get("unit") or _unit_of(p.get("y") for p in points if isinstance(p, dict)))
    title = str(series.get("title") or series.get("name") or "")
    kind = series.get("chart") or ("bar" if unit in BAR_UNITS else "line")
    draw = charts.bar_chart if kind == "bar" else charts.line_chart
    svg = draw(points, title=title, unit=unit, name=f"{section_name}-{series.get('name', title)}")
    data = [(str(p.get("x", "")), p.get("y")) for p in points if isinstance(p, dict)]
    return ShownChart(title, mark_safe(svg), unit, data)  # noqa: S308 (charts escapes every label)


def _heat_map(section_name: str, heatmap: dict) -> ShownChart:
    title = str(heatmap.get("title") or heatmap.get("name") or "")
    svg = charts.heat_map(
        heatmap.get("rows") or [],
        heatmap.get("columns") or [],
        heatmap.get("cells") or [],
        title=title,
        unit=str(heatmap.get("unit") or ""),
        name=f"{section_name}-{heatmap.get('name', title)}",
    )
    return ShownChart(title, mark_safe(svg))  # noqa: S308 (charts escapes every label and value)
