"""The text report: each figure with its n and interval, "not enough data" below min_n, tables compact."""

from townsquare.insights.text_summary import summary_lines


def fig(value, n, low=None, high=None, unit="count") -> dict:
    ci = [low, high] if low is not None else None
    return {"value": value, "n": n, "ci95": ci, "too_small": n < 10, "unit": unit}


REPORT = {
    "first_response_seconds": fig(750.0, 40, 420.0, 5400.0, "seconds"),
    "resolution_seconds": fig(7200.0, 4, 3600.0, 9000.0, "seconds"),
    "resolution_rate": fig(0.25, 40, 0.127, 0.412, "share"),
    "filters": {
        "since": "2026-11-01T00:00:00+00:00",
        "until": None,
        "channel": [3],
        "time_zone": "UTC",
        "period": "week",
    },
    "last_event_id": 812,
    "events_behind": 5000,
    "care": {
        "title": "Care",
        "method": "Medians with order-statistic intervals.",
        "assumptions": ["Imported threads resolve at the brand's last word."],
        "labels": {"volume": "Conversations", "csat": "CSAT"},
        "figures": {"volume": fig(40.0, 40, 28.6, 54.5), "csat": fig(4.5, 2, unit="score")},
        "tables": [
            {
                "name": "by_channel",
                "title": "By channel",
                "columns": ["volume", "csat"],
                "rows": [
                    {"key": "3", "label": "twitter", "volume": fig(40.0, 40, 28.6, 54.5), "csat": fig(4.5, 2)}
                ],
            }
        ],
        "series": [
            {
                "name": "volume_by_week",
                "title": "Conversations by week",
                "points": [{"x": "2026-11-02", "y": fig(12.0, 12, 6.2, 21.0)}],
            }
        ],
        "heatmaps": [
            {"name": "arrivals", "title": "Arrivals", "rows": ["Mon"] * 7, "columns": ["0"] * 24, "cells": []}
        ],
        "notes": ["not enough data for CSAT (n = 2)"],
    },
}


def test_the_text_report_reads_as_figures_with_n_and_intervals():
    lines = list(summary_lines(REPORT))
    assert lines[0] == "Insights from 2026-11-01T00:00:00+00:00 to now; time zone UTC; by week; channel 3"
    assert lines[1] == "Projection at event 812: 5,000 events not folded yet"
    assert "First response (median): 12.5 min (95% CI 7.0 min–1.5 h, n = 40)" in lines
    assert "Time to resolution (median): not enough data (n = 4)" in lines
    assert "Resolution rate: 25.0% (95% CI 12.7%–41.2%, n = 40)" in lines
    assert "== Care ==" in lines
    assert "How: Medians with order-statistic intervals." in lines
    assert "Assumes: Imported threads resolve at the brand's last word." in lines
    assert "  Conversations: 40 (95% CI 29–54, n = 40)" in lines
    assert "  CSAT: not enough data (n = 2)" in lines
    assert "By channel:" in lines
    assert "  twitter: Conversations 40 (95% CI 29–54, n = 40); not enough data for CSAT" in lines
    assert "Conversations by week: 2026-11-02 12 (95% CI 6–21, n = 12)" in lines
    assert "Arrivals: a heat map (7 × 24 cells) — see --json, --format csv or the console" in lines
    assert lines[-1] == "Note: not enough data for CSAT (n = 2)"
