"""Exports: every figure of a report as a row, conversation facts as rows, CSV and JSONL writers."""

import csv
import io
import itertools
import json

import pytest

from tests.insights.twcs_by_hand import ingest, threads
from townsquare.insights.export import (
    CONVERSATION_COLUMNS,
    FIGURE_COLUMNS,
    as_csv,
    as_jsonl,
    conversation_rows,
    figure_rows,
)
from townsquare.insights.filters import build_filters
from townsquare.insights.projection import refresh


def fig(value, n, low=None, high=None, unit="count", too_small=False) -> dict:
    ci = [low, high] if low is not None else None
    return {"value": value, "n": n, "ci95": ci, "too_small": too_small, "unit": unit}


REPORT = {
    "first_response_seconds": fig(600.0, 40, 420.0, 900.0, "seconds"),
    "resolution_seconds": fig(None, 0, unit="seconds", too_small=True),
    "resolution_rate": fig(0.5, 40, 0.34, 0.66, "share"),
    "filters": {"since": None, "channel": [3]},
    "min_n": 10,
    "closed_periods": [],
    "care": {
        "title": "Care",
        "figures": {"volume": fig(40.0, 40, 28.6, 54.5), "label_only": "text is not a figure"},
        "tables": [
            {
                "name": "by_channel",
                "columns": ["volume", "cost"],
                "rows": [
                    {"key": "3", "label": "twitter", "volume": fig(30.0, 30, 20.2, 42.8), "cost": 4.5},
                    {"key": "4", "volume": fig(4.0, 4, 1.1, 10.2, too_small=True), "cost": None},
                ],
            }
        ],
        "series": [{"name": "volume_by_week", "points": [{"x": "2026-11-16", "y": fig(7.0, 7, 2.8, 14.4)}]}],
        "heatmaps": [
            {
                "name": "arrivals",
                "rows": ["Mon", "Tue"],
                "columns": ["0", "1"],
                "cells": [[fig(1.0, 1), fig(2.0, 2)], [fig(3.0, 3), fig(0.0, 0)]],
            }
        ],
    },
}


def test_every_figure_becomes_one_row():
    rows = list(figure_rows(REPORT))
    keys = [(r["section"], r["table"], r["row"], r["column"]) for r in rows]
    assert keys == [
        ("headline", "", "", "first_response_seconds"),
        ("headline", "", "", "resolution_seconds"),
        ("headline", "", "", "resolution_rate"),
        ("care", "figures", "", "volume"),
        ("care", "by_channel", "twitter", "volume"),
        ("care", "by_channel", "twitter", "cost"),
        ("care", "by_channel", "4", "volume"),  # no label: the key
        ("care", "volume_by_week", "2026-11-16", "y"),
        ("care", "arrivals", "Mon", "0"),
        ("care", "arrivals", "Mon", "1"),
        ("care", "arrivals", "Tue", "0"),
        ("care", "arrivals", "Tue", "1"),
    ]
    first = rows[0]
    assert first == {
        "section": "headline",
        "table": "",
        "row": "",
        "column": "first_response_seconds",
        "value": 600.0,
        "n": 40,
        "ci_low": 420.0,
        "ci_high": 900.0,
        "too_small": False,
        "unit": "seconds",
    }
    assert rows[1]["too_small"] is True and rows[1]["ci_low"] is None
    exact = rows[5]  # a configured cost: exact, no n, no interval
    assert (exact["value"], exact["n"], exact["ci_low"], exact["too_small"]) == (4.5, None, None, False)
    assert rows[6]["too_small"] is True


def test_csv_parses_back_to_the_same_figures():
    text = "".join(as_csv(figure_rows(REPORT), FIGURE_COLUMNS))
    parsed = list(csv.DictReader(io.StringIO(text)))
    assert list(parsed[0]) == list(FIGURE_COLUMNS)
    assert len(parsed) == 12
    by_key = {(r["section"], r["table"], r["row"], r["column"]): r for r in parsed}
    rate = by_key[("headline", "", "", "resolution_rate")]
    assert (float(rate["value"]), int(rate["n"]), float(rate["ci_low"]), float(rate["ci_high"])) == (
        0.5,
        40,
        0.34,
        0.66,
    )
    assert by_key[("headline", "", "", "resolution_seconds")]["value"] == ""  # none: an empty cell


def test_jsonl_is_one_object_per_line():
    text = "".join(as_jsonl(figure_rows(REPORT)))
    lines = text.splitlines()
    assert len(lines) == 12 and text.endswith("\n")
    assert [json.loads(line) for line in lines] == list(figure_rows(REPORT))


def test_writers_stream_without_reading_every_row_first():
    endless = ({"i": i} for i in itertools.count())
    first = next(as_csv(endless))
    assert first.startswith("i\r\n0\r\n1\r\n") and first.count("\r\n") == 501
    first_lines = next(as_jsonl({"i": i} for i in itertools.count()))
    assert first_lines.count("\n") == 500


def test_an_empty_export_is_a_header_or_nothing():
    assert "".join(as_csv([], FIGURE_COLUMNS)) == ",".join(FIGURE_COLUMNS) + "\r\n"
    assert "".join(as_jsonl([])) == ""


@pytest.mark.django_db
def test_conversation_rows_are_the_facts_behind_the_filters_without_personal_data():
    ingest()
    refresh()
    rows = list(conversation_rows(build_filters()))
    assert len(rows) == 13
    assert list(rows[0]) == list(CONVERSATION_COLUMNS)
    by_hand = sorted(t["first_response"] for t in threads() if t["first_response"] is not None)
    assert (
        sorted(r["first_response_seconds"] for r in rows if r["first_response_seconds"] is not None)
        == by_hand
    )
    assert [r["started_at"] for r in rows] == sorted(r["started_at"] for r in rows)
    text = "".join(as_csv(rows, CONVERSATION_COLUMNS))
    assert "VirginTrains" not in text and "105836" not in text and "@" not in text
    on_10th = list(conversation_rows(build_filters(until="2017-10-10")))
    assert len(on_10th) == sum(t["start"].day == 10 for t in threads())
    chosen = [rows[2]["conversation_id"], rows[5]["conversation_id"]]
    drilled = list(conversation_rows(build_filters(), chosen))
    assert sorted(r["conversation_id"] for r in drilled) == sorted(chosen)
