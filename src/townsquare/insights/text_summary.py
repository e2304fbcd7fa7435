"""A report as plain text for a terminal: each figure with its n and 95% CI, or "not enough data".

Works on `Report.as_json()`, so it renders any section that follows the section contract.
"""

from collections.abc import Iterator

from townsquare.insights.export import HEADLINE, figure_row, figure_rows, is_exact, is_figure

HEADLINE_LABELS = {
    "first_response_seconds": "First response (median)",
    "resolution_seconds": "Time to resolution (median)",
    "resolution_rate": "Resolution rate",
}


def duration(seconds: float) -> str:
    seconds = float(seconds)
    if abs(seconds) < 60:
        return f"{seconds:.0f} s"
    if abs(seconds) < 3600:
        return f"{seconds / 60:.1f} min"
    if abs(seconds) < 86400 * 2:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} d"


def amount(value, unit: str) -> str:
    if value is None:
        return "–"
    if unit == "seconds":
        return duration(value)
    if unit == "share":
        return f"{value * 100:.1f}%"
    if unit == "count":
        return f"{value:,.0f}"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


def figure_text(row: dict) -> str:
    """ "7.2 min (95% CI 3.0 min–25.0 min, n = 12)", or "not enough data (n = 4)"."""
    unit = row.get("unit") or ""
    if row.get("n") is None:
        return amount(row["value"], unit)
    if row.get("too_small"):
        return f"not enough data (n = {row['n']})"
    text = amount(row["value"], unit)
    if row.get("ci_low") is not None and row.get("ci_high") is not None:
        low, high = amount(row["ci_low"], unit), amount(row["ci_high"], unit)
        return f"{text} (95% CI {low}–{high}, n = {row['n']:,})"
    return f"{text} (n = {row['n']:,})"


def filters_line(report: dict) -> str:
    chosen = report.get("filters") or {}
    since, until = chosen.get("since") or "the beginning", chosen.get("until") or "now"
    parts = [f"from {since} to {until}", f"time zone {chosen.get('time_zone')}", f"by {chosen.get('period')}"]
    for name in ("channel", "queue", "language", "kind", "agent", "level"):
        if chosen.get(name):
            parts.append(f"{name} {', '.join(str(v) for v in chosen[name])}")
    return "; ".join(parts)


def summary_lines(report: dict) -> Iterator[str]:
    yield f"Insights {filters_line(report)}"
    behind = report.get("events_behind") or 0
    state = f"{behind:,} events not folded yet" if behind else "up to date with the event log"
    yield f"Projection at event {report.get('last_event_id', 0)}: {state}"
    yield ""
    for row in figure_rows(report):
        if row["section"] == HEADLINE:
            yield f"{HEADLINE_LABELS.get(row['column'], row['column'])}: {figure_text(row)}"
    for section in report.values():
        if isinstance(section, dict) and "title" in section:
            yield from section_lines(section)


def section_lines(section: dict) -> Iterator[str]:
    """The section's own figures one per line; each table row, series and heat map on one line,
    with the figures too small to show listed together at its end."""
    labels = section.get("labels") or {}
    yield ""
    yield f"== {section['title']} =="
    if section.get("method"):
        yield f"How: {section['method']}"
    for assumption in section.get("assumptions") or ():
        yield f"Assumes: {assumption}"
    for name, value in (section.get("figures") or {}).items():
        if is_figure(value) or is_exact(value):
            yield f"  {labels.get(name, name)}: {figure_text(figure_row('', '', '', name, value))}"
    for table in section.get("tables") or ():
        yield f"{table.get('title') or table.get('name', '')}:"
        for row in table.get("rows") or ():
            cells = [(labels.get(column, column), row.get(column)) for column in table.get("columns") or ()]
            yield f"  {row.get('label', row.get('key', ''))}: {compact(cells)}"
    for series in section.get("series") or ():
        points = [(str(point.get("x", "")), point.get("y")) for point in series.get("points") or ()]
        yield f"{series.get('title') or series.get('name', '')}: {compact(points)}"
    for heatmap in section.get("heatmaps") or ():
        size = f"{len(heatmap.get('rows') or ())} × {len(heatmap.get('columns') or ())}"
        title = heatmap.get("title") or heatmap.get("name", "")
        yield f"{title}: a heat map ({size} cells) — see --json, --format csv or the console"
    for note in section.get("notes") or ():
        yield f"Note: {note}"


def compact(cells: list[tuple[str, object]]) -> str:
    shown, hidden = [], []
    for label, value in cells:
        if not (is_figure(value) or is_exact(value)):
            continue
        row = figure_row("", "", "", label, value)
        if row["too_small"]:
            hidden.append(label)
        else:
            shown.append(f"{label} {figure_text(row)}")
    if hidden:
        shown.append(f"not enough data for {', '.join(hidden)}")
    return "; ".join(shown) or "no figures"
