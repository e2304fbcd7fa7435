"""Community speed at scale: importing a Stack Exchange history, then reading it, on SQLite and PostgreSQL.

With 100,000 questions and 500,000 posts (answers and comments) in four spaces, generated from
the Beer site's vocabulary (bench/community_gen.py) and imported with `townsquare ingest
--format stackexchange`'s importer (cached between runs by bench/community_cache.py):

- import throughput in posts/s (goal >= 5,000 on SQLite), against the same rows written with raw
  sqlite3 `executemany` (bench/community_baseline.py);
- p50/p95 over 200 requests of the topic list (a space's latest, its unanswered tab, a deep
  page), the topic page of a question with hundreds of answers, full-text search (several
  queries) and semantic search when the search package has it; through Django's test client and
  over keep-alive HTTP, each against a plain indexed SELECT of the same page on a raw driver
  connection (bench/community_pages.py). Goal: p95 <= 50 ms on SQLite.

PostgreSQL is skipped, with the reason, when its server does not answer.
"""

import json
from pathlib import Path

from bench.community_cache import postgres_fixture, sqlite_fixture
from bench.inbox_cache import postgres_reachable, run_child
from bench.report import emit, note

GOAL_MS = 50
GOAL_POSTS_PER_S = 5000
DEFAULT_ROOT = Path(__file__).resolve().parents[1] / "var" / "bench"
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/townsquare_bench_community"


def emit_import(backend: str, summary: dict) -> None:
    baseline = summary.get("baseline") or {}
    emit(
        "community",
        f"{backend}_import_posts_per_s",
        summary["posts_per_s"],
        baseline.get("posts_per_s", 0),
        unit="posts/s",
        baseline_name="the same rows with raw sqlite3 executemany" if baseline else "none on this backend",
        goal=f">= {GOAL_POSTS_PER_S} posts/s" if backend == "sqlite" else "",
        met=summary["posts_per_s"] >= GOAL_POSTS_PER_S,
        posts=summary["posts"],
        topics=summary["topics"],
        import_seconds=summary["import_seconds"],
        posts_per_cpu_s=summary.get("posts_per_cpu_s"),
        import_peak_rss_mb=summary.get("import_peak_rss_mb"),
        baseline_posts_per_cpu_s=baseline.get("posts_per_cpu_s"),
        after_import=summary.get("after_import"),
        cached=summary.get("cached", False),
    )


def emit_pages(backend: str, results: list[dict], summary: dict) -> None:
    for result in results:
        name = f"{backend}_{result['name']}"
        if "error" in result:
            print(json.dumps({"bench": "community", "metric": name, "error": result["error"]}), flush=True)
            continue
        emit(
            "community",
            f"{name}_p95_ms",
            result["p95_ms"],
            result["baseline_p95_ms"],
            unit="ms",
            baseline_name="plain indexed SELECT of the same page, raw driver",
            goal=f"p95 <= {GOAL_MS} ms",
            met=result["p95_ms"] <= GOAL_MS,
            p50_ms=round(result["p50_ms"], 2),
            baseline_p50_ms=round(result["baseline_p50_ms"], 3),
            requests=result["requests"],
            baseline_requests=result["baseline_requests"],
            topics=summary["topics"],
            posts=summary["posts"],
        )


def bench_backend(backend: str, env: dict, summary: dict, requests: int, warmup: int, budget: float) -> None:
    emit_import(backend, summary)
    data_dir = Path(env["TOWNSQUARE_DATA_DIR"])
    note(f"community: {backend} pages, {requests} requests each after {warmup} warm-up")
    out = run_child(
        [
            "-m",
            "bench.community_pages",
            str(requests),
            str(warmup),
            str(budget),
            str(data_dir / "server.log"),
        ],
        env,
        "pages",
        show_progress=True,
    )
    emit_pages(backend, json.loads(out.strip().splitlines()[-1]), summary)


def run(
    questions: int = 100_000,
    posts: int = 500_000,
    requests: int = 200,
    warmup: int = 20,
    root: Path = DEFAULT_ROOT,
    pg_url: str = DEFAULT_PG_URL,
    backends: tuple[str, ...] = ("sqlite", "postgres"),
    budget: float = 60.0,
) -> None:
    if "sqlite" in backends:
        env, summary = sqlite_fixture(root, questions, posts)
        bench_backend("sqlite", env, summary, requests, warmup, budget)
    if "postgres" in backends:
        reason = postgres_reachable(pg_url)
        if reason:
            note(f"community: PostgreSQL skipped, its server does not answer at {pg_url}: {reason}")
            print(json.dumps({"bench": "community", "metric": "postgres", "skipped": reason}), flush=True)
            return
        env, summary = postgres_fixture(root, pg_url, questions, posts)
        bench_backend("postgres", env, summary, requests, warmup, budget)
