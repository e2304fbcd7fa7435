"""Inbox speed at scale: console and API pages, and assignment claims, on SQLite and PostgreSQL.

With 1,000,000 messages in 200,000 conversations (bench/inbox_data.py; cached between runs by
bench/inbox_cache.py), for each backend:

- p50/p95 of the console list (first page, a deep cursor page, the "mine", "unassigned" and
  "breaching soon" views) as alice (an agent with queues) and carol (a supervisor), random
  conversation pages with 4-6 messages, and `GET /api/v1/conversations`; each in-process through
  Django's test client and over keep-alive HTTP against uvicorn (bench/inbox_pages.py). Goal:
  p95 <= 50 ms. 200 requests each, or fewer (at least 5) when a page is so slow that they would
  take longer than the time budget (`requests` in the output says how many). Baseline: the plain SELECT of the same rows on a raw sqlite3/psycopg connection.
- claims/s of 8 concurrent workers using `townsquare.care.claims.claim`, against the same 8
  workers running a raw conditional UPDATE; 0 double assignments is checked (bench/inbox_claims.py).

PostgreSQL is skipped, with the reason, when its server does not answer.
"""

import json
from pathlib import Path

from bench.inbox_cache import postgres_fixture, postgres_reachable, run_child, sqlite_fixture
from bench.report import emit, note

GOAL_MS = 50
WORKERS = 8
DEFAULT_ROOT = Path(__file__).resolve().parents[1] / "var" / "bench"
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/townsquare_bench"


def claim_pool_for(conversations: int) -> int:
    """Conversations the eight claimers fight over (each worker tries every one of them)."""
    return max(16, min(400, conversations // 10))


def emit_pages(backend: str, results: list[dict], summary: dict) -> None:
    for result in results:
        name = f"{backend}_{result['name']}"
        if "error" in result:
            print(json.dumps({"bench": "inbox", "metric": name, "error": result["error"]}), flush=True)
            continue
        emit(
            "inbox",
            f"{name}_p95_ms",
            result["p95_ms"],
            result["baseline_p95_ms"],
            unit="ms",
            baseline_name="plain SELECT of the same rows, raw driver",
            goal=f"p95 <= {GOAL_MS} ms",
            met=result["p95_ms"] <= GOAL_MS,
            p50_ms=round(result["p50_ms"], 2),
            baseline_p50_ms=round(result["baseline_p50_ms"], 3),
            requests=result["requests"],
            baseline_requests=result["baseline_requests"],
            messages=summary["counts"]["messages"],
            conversations=summary["counts"]["conversations"],
        )


def emit_claims(backend: str, claims: dict) -> None:
    ours, base = claims["ours"], claims["baseline"]
    doubles = ours["double_assignments"] + base["double_assignments"]
    emit(
        "inbox",
        f"{backend}_claims_per_s",
        ours["wins"] / ours["seconds"],
        base["wins"] / base["seconds"],
        unit="claims/s",
        baseline_name="raw UPDATE ... WHERE id = ? AND assignee_id IS NULL, same workers",
        goal="0 double assignments",
        met=doubles == 0 and ours["wins"] == claims["pool"] and not ours["errors"],
        workers=claims["workers"],
        pool=claims["pool"],
        claimed=ours["wins"],
        attempts=ours["attempts"],
        attempts_per_s=round(ours["attempts"] / ours["seconds"], 1),
        double_assignments=ours["double_assignments"],
        baseline_double_assignments=base["double_assignments"],
        errors=ours["errors"],
    )


def bench_backend(backend: str, env: dict, summary: dict, requests: int, warmup: int, budget: float) -> None:
    data_dir = Path(env["TOWNSQUARE_DATA_DIR"])
    note(f"inbox: {backend} pages, {requests} requests each after {warmup} warm-up")
    out = run_child(
        ["-m", "bench.inbox_pages", str(requests), str(warmup), str(budget), str(data_dir / "server.log")],
        env,
        "pages",
        show_progress=True,
    )
    emit_pages(backend, json.loads(out.strip().splitlines()[-1]), summary)
    note(f"inbox: {backend} claims, {WORKERS} workers")
    claims = json.loads(
        run_child(["-m", "bench.inbox_claims", str(WORKERS)], env, "claims").strip().splitlines()[-1]
    )
    emit_claims(backend, claims)


def run(
    messages: int = 1_000_000,
    conversations: int = 200_000,
    requests: int = 200,
    warmup: int = 20,
    root: Path = DEFAULT_ROOT,
    pg_url: str = DEFAULT_PG_URL,
    backends: tuple[str, ...] = ("sqlite", "postgres"),
    budget: float = 60.0,
) -> None:
    pool = claim_pool_for(conversations)
    if "sqlite" in backends:
        env, summary = sqlite_fixture(root, messages, conversations, pool)
        bench_backend("sqlite", env, summary, requests, warmup, budget)
    if "postgres" in backends:
        reason = postgres_reachable(pg_url)
        if reason:
            note(f"inbox: PostgreSQL skipped, its server does not answer at {pg_url}: {reason}")
            print(json.dumps({"bench": "inbox", "metric": "postgres", "skipped": reason}), flush=True)
            return
        env, summary = postgres_fixture(root, pg_url, messages, conversations, pool)
        bench_backend("postgres", env, summary, requests, warmup, budget)
