"""Ingest speed and memory: `townsquare ingest` against raw sqlite3 on the same TWCS file.

Speed: rows per second of `townsquare ingest FILE --format twcs` (a child process, timed from
start to exit, so start-up counts) against the csv module feeding `executemany(INSERT OR IGNORE)`
into one table with the same uniqueness rule, in this process. Goal: ratio >= 0.5. The CPU
seconds of both sides are printed too (`cpu_ratio`): on a machine shared with other work the
wall-clock ratio swings, the CPU one much less.

Memory: peak RSS of ingesting a 1,000,000-row file, against the peak RSS of `townsquare check`
(the same command starting up and doing nothing). Goal: under 300 MB, flat in the file size.
"""

import csv
import json
import os
import sqlite3
import tempfile
import time
from pathlib import Path

from bench.processes import TOWNSQUARE, run_measured, townsquare, townsquare_env
from bench.report import emit, note
from bench.twcs_gen import generate

# The importer's default batch, so that both sides commit equally often.
BATCH = 5000
MEMORY_ROWS = 1_000_000
RSS_GOAL_MB = 300


def sqlite_baseline(csv_path: Path, db_path: Path) -> tuple[int, float, float]:
    """Store every row with raw sqlite3; return (rows read, seconds, CPU seconds)."""
    connection = sqlite3.connect(db_path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute(
        "CREATE TABLE message (id INTEGER PRIMARY KEY, channel_id INTEGER NOT NULL, external_id TEXT NOT NULL,"
        " author_id TEXT, inbound TEXT, created_at TEXT, text TEXT, response_ids TEXT, parent_external_id TEXT)"
    )
    connection.execute("CREATE UNIQUE INDEX message_unique ON message (channel_id, external_id)")
    insert = (
        "INSERT OR IGNORE INTO message (channel_id, external_id, author_id, inbound, created_at, text,"
        " response_ids, parent_external_id) VALUES (1, ?, ?, ?, ?, ?, ?, ?)"
    )
    started, started_cpu = time.perf_counter(), time.process_time()
    rows = 0
    with csv_path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        batch = []
        for row in reader:
            batch.append(row)
            if len(batch) == BATCH:
                rows += _commit(connection, insert, batch)
                batch = []
        rows += _commit(connection, insert, batch)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - started_cpu
    connection.close()
    return rows, seconds, cpu_seconds


def _commit(connection: sqlite3.Connection, insert: str, batch: list[list[str]]) -> int:
    connection.execute("BEGIN")
    connection.executemany(insert, batch)
    connection.execute("COMMIT")
    return len(batch)


def timed_ingest(csv_path: Path, data_dir: Path) -> tuple[dict, float, float, float]:
    """Migrate a fresh data dir (untimed), then ingest; return (summary, seconds, peak RSS MB, CPU seconds)."""
    townsquare("migrate", "--noinput", data_dir=data_dir)
    command = [*TOWNSQUARE, "ingest", str(csv_path), "--format", "twcs", "--channel", "bench", "--json"]
    seconds, rss_mb, out, cpu_seconds = run_measured(command, townsquare_env(data_dir))
    return json.loads(out.strip().splitlines()[-1]), seconds, rss_mb, cpu_seconds


def bench_speed(work: Path, rows: int) -> dict:
    csv_path = work / "twcs.csv"
    note(f"ingest: generating {rows:,} TWCS rows")
    generate(csv_path, rows)
    note("ingest: raw sqlite3 baseline")
    base_rows, base_seconds, base_cpu = sqlite_baseline(csv_path, work / "baseline.sqlite3")
    note("ingest: townsquare ingest")
    summary, seconds, rss_mb, cpu_seconds = timed_ingest(csv_path, work / "speed")
    if summary["stored"] + summary["duplicates"] + summary["rejected"] != rows:
        raise RuntimeError(f"ingest did not account for every row: {summary}")
    return emit(
        "ingest",
        "rows_per_s",
        summary["read"] / seconds,
        base_rows / base_seconds,
        goal="ratio >= 0.5",
        rows=rows,
        seconds=round(seconds, 2),
        baseline_seconds=round(base_seconds, 2),
        cpu_seconds=round(cpu_seconds, 2),
        baseline_cpu_seconds=round(base_cpu, 2),
        cpu_ratio=round(base_cpu / cpu_seconds, 3),
        load_average=round(os.getloadavg()[0], 2),
        stored=summary["stored"],
        rejected=summary["rejected"],
        peak_rss_mb=round(rss_mb, 1),
    )


def bench_memory(work: Path, rows: int) -> dict:
    csv_path = work / "twcs-memory.csv"
    note(f"ingest: generating {rows:,} TWCS rows for the memory run")
    generate(csv_path, rows, seed=11)
    idle_dir = work / "idle"
    idle_dir.mkdir()
    _, idle_mb, _, _ = run_measured([*TOWNSQUARE, "check"], townsquare_env(idle_dir))
    note("ingest: townsquare ingest (memory)")
    summary, seconds, rss_mb, _ = timed_ingest(csv_path, work / "memory")
    return emit(
        "ingest",
        "peak_rss_mb",
        rss_mb,
        idle_mb,
        goal=f"value < {RSS_GOAL_MB}",
        rows=rows,
        rows_per_s=round(summary["read"] / seconds),
        stored=summary["stored"],
    )


def run(rows: int = 200_000, memory_rows: int = MEMORY_ROWS) -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="townsquare-bench-") as tmp:
        work = Path(tmp)
        return [bench_speed(work, rows), bench_memory(work, memory_rows)]
