"""`make bench ONLY=insights` end to end at a tiny scale on SQLite, and its event-log generator."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np

from bench.insights_cache import events_key
from bench.insights_gen import KINDS, Staff, generate, group_cumsum

REPO = Path(__file__).resolve().parents[2]
STAFF = Staff(
    channels={"twitter": (1, "import", 40), "email": (2, "email", 30), "community": (3, "community", 30)},
    queues=[1, 2],
    agents=[10, 11, 12],
    ambassadors=[20],
    supervisors=[30],
)
ANCHOR = 1_795_000_000.0  # 2026-11-18


def run_insights_bench(root: Path) -> tuple[list[dict], str]:
    command = [sys.executable, "-m", "bench", "--only", "insights", "--insights-backends", "sqlite"]
    command += ["--insights-messages", "3000", "--insights-conversations", "600", "--insights-repeats", "1"]
    command += ["--inbox-root", str(root)]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return [json.loads(line) for line in done.stdout.splitlines()], done.stderr


def test_the_insights_bench_times_the_report_the_refresh_and_the_rebuild(tmp_path):
    results, progress = run_insights_bench(tmp_path)

    by_metric = {result["metric"]: result for result in results}
    report = by_metric["sqlite_report_ms"]
    assert report["value"] > 0 and report["baseline"] > 0 and report["unit"] == "ms"
    assert report["met"] == (report["value"] <= 2000)
    assert report["conversations"] == 600 and report["messages"] == 3000
    assert 0 < report["facts"] <= 600 and report["peak_mb"] > 0
    refresh = by_metric["sqlite_refresh_1000_events_ms"]
    assert refresh["events_read"] == 1000 and refresh["met"] == (refresh["value"] <= 100)
    rebuilt = by_metric["sqlite_rebuild_events_per_s"]
    assert rebuilt["cached"] is False and rebuilt["conversation_facts"] == 600
    assert rebuilt["message_facts"] == 3000
    assert "writing the SQLite event log" in progress
    # A second run reuses the log and the projection (the refresh trials were rolled back).
    again, progress = run_insights_bench(tmp_path)
    rebuilt_again = {result["metric"]: result for result in again}["sqlite_rebuild_events_per_s"]
    assert rebuilt_again["cached"] is True and rebuilt_again["conversation_facts"] == 600
    assert "reusing the SQLite event log" in progress and "rebuilding" not in progress


def test_the_generated_log_is_a_year_of_care_in_time_order():
    events = generate(3000, 15000, STAFF, ANCHOR)

    assert np.all(np.diff(events.at) >= 0) and events.at.max() <= ANCHOR
    assert events.at.min() < ANCHOR - 300 * 86400  # a year: both DST changes of 2026
    kinds = {KINDS[k] for k in np.unique(events.kind)}
    assert set(KINDS) - kinds == set(), set(KINDS) - kinds
    messages = events.message[events.message > 0]
    # Unique ids; the few written after the anchor have not happened yet.
    assert len(messages) == len(set(messages.tolist())) and 14_900 < len(messages) <= 15_000
    received = [
        json.loads(events.data(i)) for i in np.flatnonzero(events.kind == KINDS.index("message.received"))
    ]
    assert {r["direction"] for r in received} == {"in", "out"}
    labelled = json.loads(
        events.data(int(np.flatnonzero(events.kind == KINDS.index("conversation.labelled"))[0]))
    )
    assert all(len(values) == 6 for values in labelled["conversations"].values())


def test_group_cumsum_restarts_at_each_group():
    values = np.array([1, 2, 3, 4, 5, 6])
    assert group_cumsum(values, np.array([2, 1, 3])).tolist() == [1, 3, 3, 4, 9, 15]


def test_the_log_key_follows_the_sizes():
    assert events_key(3000, 600) == events_key(3000, 600) != events_key(3000, 601)
