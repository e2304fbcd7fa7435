"""`make bench ONLY=inbox` end to end at a tiny scale on SQLite: fixture, pages, claims, JSON lines."""

import json
import random
import subprocess
import sys
from pathlib import Path

from bench.inbox_cache import cache_key
from bench.inbox_data import conversation_lengths

REPO = Path(__file__).resolve().parents[2]


def run_inbox_bench(root: Path) -> tuple[list[dict], str]:
    command = [sys.executable, "-m", "bench", "--only", "inbox", "--inbox-backends", "sqlite"]
    command += ["--inbox-messages", "2000", "--inbox-conversations", "400", "--inbox-requests", "2"]
    command += ["--inbox-root", str(root)]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return [json.loads(line) for line in done.stdout.splitlines()], done.stderr


def test_the_inbox_bench_times_every_page_and_claims_without_double_assignments(tmp_path):
    results, progress = run_inbox_bench(tmp_path)

    by_metric = {result["metric"]: result for result in results}
    assert not [result for result in results if "error" in result], results
    for page in ("list_first_alice", "list_deep_carol", "view_mine_alice", "view_breaching_carol"):
        for mode in ("client", "http"):
            result = by_metric[f"sqlite_{page}_{mode}_p95_ms"]
            assert result["value"] > 0 and result["baseline"] > 0 and result["unit"] == "ms"
            assert result["met"] == (result["value"] <= 50)
    assert "sqlite_conversation_carol_http_p95_ms" in by_metric
    assert "sqlite_api_list_alice_client_p95_ms" in by_metric
    claims = by_metric["sqlite_claims_per_s"]
    assert claims["double_assignments"] == 0 and claims["baseline_double_assignments"] == 0
    assert claims["claimed"] == claims["pool"] and claims["errors"] == []
    assert claims["workers"] == 8 and claims["ratio"] > 0
    # The fixture is cached: a READY file marks a complete build that the next run reuses.
    assert len(list(tmp_path.glob("inbox-*/READY"))) == 1
    assert "building the SQLite fixture" in progress


def test_the_fixture_cache_key_follows_sizes_and_generator():
    assert cache_key(2000, 400, 40) == cache_key(2000, 400, 40)
    assert cache_key(2000, 400, 40) != cache_key(2001, 400, 40)


def test_conversation_lengths_add_up_to_the_requested_messages():
    lengths = conversation_lengths(random.Random(3), 1000, 5003)
    assert sum(lengths) == 5003 and min(lengths) >= 1
