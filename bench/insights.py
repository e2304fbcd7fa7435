"""Insights speed at scale: the full report and the incremental refresh, on SQLite and PostgreSQL.

With an event log of 1,000,000 messages in 200,000 conversations and a year of care around them
(bench/insights_gen.py; about 2,000,000 events, cached between runs by bench/insights_cache.py),
for each backend (bench/insights_timing.py):

- the full report, `build_report(Filters(...), fresh=False)` with every registered section, once
  the projection is up to date, from a warm process (insights/frame_cache keeps the facts as
  columns and patches them). Goal: <= 2 s. Also printed: `cold_ms`, a process's first report,
  which loads all 200,000 facts, and `report_after_refresh_ms`, the report right after 1,000 new
  events were folded. Baseline: one `SELECT kind, COUNT(*) FROM
  events_event GROUP BY kind` pass over the event table, in the same run. The frame load and
  each section's own time are printed too, and the report's peak memory;
- with every wall time, this process's CPU time (`cpu_ms`) and the machine's load average: on a
  busy machine the wall time mostly measures waiting for a core;
- `projection.refresh()` after 1,000 new events (new conversations and messages, replies, status
  changes, assignment, SLA clocks, triage labels, CSAT). Goal: <= 100 ms;
- the full rebuild (events folded per second), informational.

PostgreSQL is skipped, with the reason, when its server does not answer.
"""

import json
from pathlib import Path

from bench.inbox_cache import postgres_reachable, run_child
from bench.insights_cache import postgres_fixture, sqlite_fixture
from bench.report import emit, note

REPORT_GOAL_MS = 2000
REFRESH_GOAL_MS = 100
DEFAULT_ROOT = Path(__file__).resolve().parents[1] / "var" / "bench"
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/townsquare_bench_insights"


def emit_backend(backend: str, summary: dict, rebuilt: dict, timing: dict) -> None:
    size = {
        "messages": summary["messages"],
        "conversations": summary["conversations"],
        "events": timing["events"],
    }
    report = timing["report"]
    emit(
        "insights",
        f"{backend}_report_ms",
        report["median_ms"],
        timing["baseline_ms"],
        unit="ms",
        baseline_name="one SELECT kind, COUNT(*) FROM events_event GROUP BY kind",
        goal=f"<= {REPORT_GOAL_MS} ms",
        met=report["median_ms"] <= REPORT_GOAL_MS,
        runs_ms=report["runs_ms"],
        cpu_ms=round(report["cpu_ms"], 1),
        cold_ms=report["cold_ms"],
        cold_cpu_ms=report["cold_cpu_ms"],
        baseline_runs_ms=timing["baseline_runs_ms"],
        frame_ms=report["frame_ms"],
        facts=report["facts"],
        sections_ms=report["sections_ms"],
        sections_cpu_ms=report["sections_cpu_ms"],
        load_average=timing["load_average"],
        peak_mb=report["peak_mb"],
        peak_rss_mb=timing["peak_rss_mb"],
        **size,
    )
    refresh = timing["refresh"]
    emit(
        "insights",
        f"{backend}_refresh_1000_events_ms",
        refresh["median_ms"],
        timing["baseline_ms"],
        unit="ms",
        baseline_name="one SELECT kind, COUNT(*) FROM events_event GROUP BY kind",
        goal=f"<= {REFRESH_GOAL_MS} ms",
        met=refresh["median_ms"] <= REFRESH_GOAL_MS,
        runs_ms=refresh["runs_ms"],
        cpu_ms=round(refresh["cpu_ms"], 1),
        events_read=refresh["events"],
        report_after_refresh_ms=round(refresh["report_after_ms"], 1),
        report_after_refresh_runs_ms=refresh["report_after_runs_ms"],
        load_average=timing["load_average"],
        **size,
    )
    emit(
        "insights",
        f"{backend}_rebuild_events_per_s",
        rebuilt["events_per_s"] or 0.0,
        timing["events"] / (timing["baseline_ms"] / 1000) if timing["baseline_ms"] else 0.0,
        unit="events/s",
        baseline_name="events counted per second by the GROUP BY pass",
        seconds=rebuilt["seconds"],
        folded=rebuilt["folded"],
        conversation_facts=rebuilt["conversation_facts"],
        message_facts=rebuilt["message_facts"],
        cached=rebuilt["cached"],
        **size,
    )


def bench_backend(backend: str, env: dict, summary: dict, rebuilt: dict, repeats: int) -> None:
    note(f"insights: {backend} report and refresh, {repeats} runs each")
    out = run_child(["-m", "bench.insights_timing", str(repeats)], env, "timing")
    emit_backend(backend, summary, rebuilt, json.loads(out.strip().splitlines()[-1]))


def run(
    messages: int = 1_000_000,
    conversations: int = 200_000,
    repeats: int = 5,
    root: Path = DEFAULT_ROOT,
    pg_url: str = DEFAULT_PG_URL,
    backends: tuple[str, ...] = ("sqlite", "postgres"),
) -> None:
    if "sqlite" in backends:
        env, summary, rebuilt = sqlite_fixture(root, messages, conversations)
        bench_backend("sqlite", env, summary, rebuilt, repeats)
    if "postgres" in backends:
        reason = postgres_reachable(pg_url)
        if reason:
            note(f"insights: PostgreSQL skipped, its server does not answer at {pg_url}: {reason}")
            print(json.dumps({"bench": "insights", "metric": "postgres", "skipped": reason}), flush=True)
            return
        env, summary, rebuilt = postgres_fixture(root, pg_url, messages, conversations)
        bench_backend("postgres", env, summary, rebuilt, repeats)
