"""The SVG charts: well-formed, accessible, escaped, and drawn to scale, with thin samples marked."""

import xml.etree.ElementTree as ET

from townsquare.insights import charts
from townsquare.insights.figures import Figure

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)  # noqa: S314 (our own markup)


def minutes(value, n=50, low=None, high=None) -> Figure:
    ci = (low * 60, high * 60) if low is not None else None
    return Figure(value * 60, n, ci, "seconds")


def test_line_chart_is_accessible_and_escapes_labels():
    svg = charts.line_chart(
        [("<b>week 1</b>", minutes(10, low=8, high=12)), ("week & 2", minutes(20, low=15, high=25))],
        title='Wait "by" <week>',
        unit="seconds",
        name="wait",
    )
    root = parse(svg)  # well-formed XML: every label was escaped
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-wait-title chart-wait-desc"
    assert root.find(f"{SVG}title").text == 'Wait "by" <week>'
    desc = root.find(f"{SVG}desc").text
    assert "Lowest 10 min (<b>week 1</b>), highest 20 min (week & 2)" in desc
    assert "95% confidence interval" in desc
    assert "<b>" not in svg and "&lt;b&gt;" in svg
    assert "<script" not in svg


def test_line_chart_band_spans_the_intervals_and_higher_values_sit_higher():
    svg = charts.line_chart(
        [("a", minutes(10, low=5, high=15)), ("b", minutes(20, low=10, high=30))], title="t", unit="seconds"
    )
    root = parse(svg)
    points = root.findall(f".//{SVG}circle")
    assert len(points) == 2
    y_a, y_b = (float(p.get("cy")) for p in points)
    assert y_b < y_a  # SVG y grows downwards
    band = root.find(f".//{SVG}polygon")
    ys = sorted(float(pair.split(",")[1]) for pair in band.get("points").split())

    # Ticks run 0, 10, 20, 30 min over the plot's height (top 14, bottom 240 - 42 = 198): a value v
    # minutes sits at 198 - (198 - 14) * v / 30.
    def at(v):
        return 198 - 184 * v / 30

    assert ys == [round(at(30), 1), round(at(15), 1), round(at(10), 1), round(at(5), 1)]
    assert float(points[0].get("cy")) == round(at(10), 1)
    assert [t.text for t in root.findall(f"{SVG}text")][:4] == ["0 min", "10 min", "20 min", "30 min"]


def test_line_chart_never_joins_across_a_thin_point():
    svg = charts.line_chart(
        [("a", minutes(10, low=5, high=15)), ("b", minutes(12, n=4)), ("c", minutes(11, low=6, high=16))],
        title="t",
        unit="seconds",
    )
    root = parse(svg)
    assert root.findall(f".//{SVG}polyline") == []  # two runs of one point: nothing to join
    thin = [c for c in root.findall(f".//{SVG}circle") if "too-small" in c.get("class")]
    assert len(thin) == 1
    assert thin[0].find(f"{SVG}title").text == "b: not enough data (n = 4)"
    assert "1 without enough data, drawn hollow" in root.find(f"{SVG}desc").text
    # Lone points show their interval as a whisker instead of a band.
    assert len(root.findall(f".//{SVG}g[@class='whisker']")) == 2


def test_bar_chart_bars_and_whiskers_to_scale():
    bars = [
        ("twitter", Figure(0.5, 40, (0.25, 0.75), "share")),
        ("email", Figure(0.25, 40, (0.1, 0.4), "share")),
        ("chat", Figure(0.9, 3, (0.3, 1.0), "share")),
    ]
    root = parse(charts.bar_chart(bars, title="Resolution rate", unit="share", name="rate"))
    rects = root.findall(f".//{SVG}rect")
    solid = [r for r in rects if r.get("class") == "bar"]
    thin = [r for r in rects if r.get("class") == "bar too-small"]
    assert len(solid) == 2 and len(thin) == 1
    assert thin[0].get("fill") == "url(#chart-rate-hatch)"
    assert thin[0].find(f"{SVG}title").text == "chat: not enough data (n = 3)"
    # The thin bar does not set the scale: twitter's upper bound, 75%, gives ticks of 20 up to 80%.
    labels = [t.text for t in root.findall(f"{SVG}text")]
    assert labels[:5] == ["0%", "20%", "40%", "60%", "80%"]
    heights = [float(r.get("height")) for r in solid]
    assert heights[0] / heights[1] == 2.0
    whiskers = root.findall(f".//{SVG}g[@class='whisker']")
    assert len(whiskers) == 2
    first = whiskers[0].find(f"{SVG}line")
    top, bottom = float(first.get("y1")), float(first.get("y2"))
    # The plot runs from y 198 (0%) up to y 14 (80%).
    assert top == round(198 - 184 * 75 / 80, 1) and bottom == round(198 - 184 * 25 / 80, 1)
    assert solid[0].find(f"{SVG}title").text.startswith("twitter: 50% (95% CI 25–75), n = 40")


def test_heat_map_shades_by_value_and_hatches_thin_cells():
    cells = [
        [Figure(10, 10, (5, 18), "count"), Figure(40, 40, (29, 54), "count")],
        [Figure(3, 3, (1, 9), "count"), Figure(20, 20, (12, 31), "count")],
    ]
    root = parse(charts.heat_map(["Mon", "Tue"], ["9", "10"], cells, title="Arrivals", unit="count"))
    rects = [r for r in root.findall(f".//{SVG}rect") if (r.get("class") or "").startswith("cell")]
    assert len(rects) == 4
    fills = {r.find(f"{SVG}title").text: r.get("fill") for r in rects}
    assert fills["Mon, 10: 40 (95% CI 29–54), n = 40"] == "#1f5fbf"  # the largest is the darkest
    assert fills["Tue, 9: not enough data (n = 3)"] == "url(#chart-arrivals-hatch)"
    # 10 of 40 is a quarter of the way from pale (234, 242, 255) to the accent (31, 95, 191).
    quarter = "#{:02x}{:02x}{:02x}".format(
        *(round(a + (b - a) / 4) for a, b in [(234, 31), (242, 95), (255, 191)])
    )
    assert fills["Mon, 9: 10 (95% CI 5–18), n = 10"] == quarter
    desc = root.find(f"{SVG}desc").text
    assert "2 rows by 2 columns" in desc and "1 cells without enough data" in desc


def test_empty_and_ragged_input_still_draws():
    root = parse(charts.line_chart([], title="Nothing yet"))
    assert "no figure has enough data" in root.find(f"{SVG}desc").text
    assert "No data in this range" in [t.text for t in root.findall(f"{SVG}text")]
    root = parse(charts.heat_map(["Mon"], ["0", "1"], [[Figure(12, 12, None, "count")]], title="Ragged"))
    assert len([r for r in root.findall(f".//{SVG}rect") if "cell" in (r.get("class") or "")]) == 2
    root = parse(charts.bar_chart([{"x": "fixed cost", "y": 12.5}], title="Plain numbers", unit="money"))
    assert root.find(f".//{SVG}rect[@class='bar']") is not None
