"""Several processes importing the same file at once store each message exactly once."""

import json
import random
import signal
import time
from datetime import UTC, datetime, timedelta

import pytest

from .fresh_db import fresh_database, popen, townsquare

pytestmark = [pytest.mark.db, pytest.mark.django_db]


def write_twcs(path, rows: int, seed: int = 7) -> int:
    """A TWCS-shaped file whose replies sometimes come before their parents; returns the thread count."""
    rng = random.Random(seed)
    lines, threads, tweet = [], 0, 1000
    start = datetime(2017, 10, 1, tzinfo=UTC)
    while len(lines) < rows:
        threads += 1
        size = min(rng.randint(1, 5), rows - len(lines))
        parent = ""
        thread = []
        for position in range(size):
            inbound = position % 2 == 0
            when = (start + timedelta(minutes=tweet)).strftime("%a %b %d %H:%M:%S +0000 %Y")
            text = f'"Tweet {tweet}, about order {rng.randint(1, 99999)}"'
            thread.append(
                f"{tweet},{rng.randint(1, 500) if inbound else 'Shop'},{inbound},{when},{text},,{parent}"
            )
            parent, tweet = str(tweet), tweet + 1
        if rng.random() < 0.3:
            thread.reverse()  # the reply is in the file before the tweet it answers
        lines.extend(thread)
    rng.shuffle(lines)  # and threads are interleaved, as in the real export
    path.write_text(
        "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
        + "\n".join(lines)
        + "\n"
    )
    return threads


def ingest_args(path, batch_size: int) -> list[str]:
    return [
        "ingest",
        str(path),
        "--format",
        "twcs",
        "--channel",
        "twitter",
        "--json",
        "--batch-size",
        str(batch_size),
    ]


def assert_exactly_once(query, rows: int, threads: int) -> None:
    assert query("SELECT COUNT(*), COUNT(DISTINCT external_id) FROM inbox_message") == [(rows, rows)]
    assert query("SELECT COUNT(*) FROM inbox_message WHERE conversation_id IS NULL") == [(0,)]
    assert query("SELECT COUNT(*) FROM inbox_conversation") == [(threads,)]
    # every reply shares its parent's conversation
    assert query(
        "SELECT COUNT(*) FROM inbox_message c JOIN inbox_message p ON p.external_id = c.parent_external_id"
        " WHERE c.conversation_id <> p.conversation_id OR c.parent_id IS NULL"
    ) == [(0,)]
    assert query("SELECT SUM(message_count) FROM inbox_conversation") == [(rows,)]
    assert query("SELECT COUNT(*) FROM events_event WHERE kind = 'message.received'") == [(rows,)]


def test_four_processes_importing_the_same_file_store_each_message_once(tmp_path):
    rows = 3000
    threads = write_twcs(tmp_path / "tweets.csv", rows)
    with fresh_database(tmp_path) as (url, query):
        procs = [popen(ingest_args(tmp_path / "tweets.csv", batch_size=250), url, tmp_path) for _ in range(4)]
        results = []
        for proc in procs:
            out, err = proc.communicate(timeout=300)
            assert proc.returncode == 0, err
            results.append(json.loads(out))
        assert sum(r["stored"] for r in results) == rows
        assert all(r["stored"] + r["duplicates"] == rows and r["rejected"] == 0 for r in results)
        assert_exactly_once(query, rows, threads)


def test_an_import_killed_half_way_and_run_again_ends_with_exact_counts(tmp_path):
    rows = 20000
    threads = write_twcs(tmp_path / "tweets.csv", rows)
    args = ingest_args(tmp_path / "tweets.csv", batch_size=200)
    with fresh_database(tmp_path) as (url, query):
        proc = popen(args, url, tmp_path)
        deadline = time.monotonic() + 120
        stored = 0
        while time.monotonic() < deadline and proc.poll() is None:
            stored = query("SELECT COUNT(*) FROM inbox_message")[0][0]
            if stored >= rows // 4:
                break
            time.sleep(0.05)
        assert proc.poll() is None, "the import finished before it could be killed; use a bigger file"
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        stored_before = query("SELECT COUNT(*) FROM inbox_message")[0][0]
        assert 0 < stored_before < rows

        done = townsquare(args, url, tmp_path, timeout=300)
        assert done.returncode == 0, done.stderr
        summary = json.loads(done.stdout)
        assert (summary["stored"], summary["duplicates"]) == (rows - stored_before, stored_before)
        assert_exactly_once(query, rows, threads)
        # the killed run is left marked as running; the second one is done
        assert query("SELECT status FROM inbox_importrun ORDER BY id") == [("running",), ("done",)]
