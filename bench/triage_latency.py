"""Time from ingest to fast-path labels visible, under a steady 1,000 messages/s webhook load.

`townsquare run` serves a fresh data directory exactly as in production (web server plus the
supervised task workers). SENDERS processes post signed batches of 100 at a fixed pace for
DURATION seconds. Afterwards each inbound message's latency is `labels.fast_at - received_at`,
read from the database: what an agent would wait before the console shows the labels. The
baseline is the p95 of the webhook calls themselves in the same run (the time ingest takes).
"""

import http.client
import json
import multiprocessing
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.processes import free_port, townsquare, townsquare_env, wait_for_port
from bench.report import emit, note
from bench.webhook_batches import BATCH_SIZE, encode, post_signed, sender_batches

SENDERS = 2
RATE = 1_000  # messages per second, all senders together
DURATION = 20  # seconds of load
GOAL_P95_SECONDS = 1.0

CREATE_CHANNELS = """
import json
from townsquare.inbox.models import Channel, ChannelKind
channels = [Channel.objects.create(name=f"bench-latency-{i}", kind=ChannelKind.WEBHOOK) for i in range(COUNT)]
print(json.dumps([[c.pk, c.secret] for c in channels]))
"""

LATENCIES = """
SELECT (julianday(l.fast_at) - julianday(m.received_at)) * 86400.0
FROM labels_messagelabels AS l JOIN inbox_message AS m ON m.id = l.message_id
WHERE m.channel_id IN ({ids}) AND m.direction = 'in' AND l.fast_at IS NOT NULL
"""
INBOUND = "SELECT count(*) FROM inbox_message WHERE channel_id IN ({ids}) AND direction = 'in'"


def paced_send(job: tuple[int, int, int, str, int, float]) -> dict:
    """One sender: a batch every SENDERS * BATCH_SIZE / RATE seconds, on a fixed schedule."""
    sender, port, channel_id, secret, batches, start_at = job
    bodies = [encode(batch) for batch in sender_batches(sender, batches)]
    interval = SENDERS * BATCH_SIZE / RATE
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    path = f"/api/v1/channels/{channel_id}/messages"
    latencies, failures = [], []
    for number, body in enumerate(bodies):
        time.sleep(max(0.0, start_at + number * interval - time.time()))
        status, answer, seconds = post_signed(connection, path, secret, body)
        latencies.append(seconds)
        if status != 202:
            failures.append(f"{status} {answer[:200]!r}")
    connection.close()
    return {"latencies": latencies, "failures": failures, "ended": time.time()}


def wait_for_labels(database: Path, ids: str, timeout: float = 180.0) -> tuple[list[float], int]:
    deadline = time.time() + timeout
    with sqlite3.connect(database, timeout=30) as connection:
        while True:
            inbound = connection.execute(INBOUND.format(ids=ids)).fetchone()[0]
            latencies = [row[0] for row in connection.execute(LATENCIES.format(ids=ids))]
            if len(latencies) >= inbound or time.time() > deadline:
                return latencies, inbound
            time.sleep(0.5)


def run(rate: int = RATE, duration: int = DURATION) -> dict:
    batches = max(1, rate * duration // (BATCH_SIZE * SENDERS))
    with tempfile.TemporaryDirectory(prefix="townsquare-bench-") as tmp:
        data_dir = Path(tmp) / "data"
        townsquare("migrate", "--noinput", data_dir=data_dir)
        out = townsquare("shell", "-c", CREATE_CHANNELS.replace("COUNT", str(SENDERS)), data_dir=data_dir)
        channels = json.loads(out.strip().splitlines()[-1])
        port = free_port()
        env = townsquare_env(data_dir) | {"TOWNSQUARE_WEBHOOK_RATE_LIMIT": "100000"}
        log = Path(tmp) / "run.log"
        with log.open("w") as handle:
            server = subprocess.Popen(
                [sys.executable, "-m", "townsquare.cli", "run", "--port", str(port)],
                env=env,
                stdout=handle,
                stderr=subprocess.STDOUT,
            )
        try:
            wait_for_port(port, timeout=120)
            time.sleep(5)  # let the demo data's own triage finish before the clock starts
            note(f"triage latency: {rate} msg/s for {duration} s through the webhook")
            start_at = time.time() + 2.0
            jobs = [(i, port, cid, secret, batches, start_at) for i, (cid, secret) in enumerate(channels)]
            with multiprocessing.get_context("spawn").Pool(SENDERS) as pool:
                results = pool.map(paced_send, jobs)
            sent_seconds = max(result["ended"] for result in results) - start_at
            ids = ",".join(str(channel_id) for channel_id, _ in channels)
            latencies, inbound = wait_for_labels(data_dir / "townsquare.sqlite3", ids)
        finally:
            server.terminate()
            server.wait(60)
    failures = [failure for result in results for failure in result["failures"]]
    if failures:
        raise RuntimeError(f"{len(failures)} deliveries failed, e.g. {failures[0]}")
    if len(latencies) < inbound:
        raise RuntimeError(f"only {len(latencies)} of {inbound} inbound messages were labelled in time")
    webhook = [latency for result in results for latency in result["latencies"]]
    quantiles = statistics.quantiles(latencies, n=100)
    return emit(
        "triage",
        "ingest_to_fast_labels_p95_seconds",
        quantiles[94],
        statistics.quantiles(webhook, n=20)[-1],
        baseline_name="webhook call p95 in the same run",
        goal=GOAL_P95_SECONDS,
        p50_seconds=round(quantiles[49], 3),
        max_seconds=round(max(latencies), 3),
        inbound_messages=inbound,
        achieved_messages_per_second=round(batches * BATCH_SIZE * SENDERS / sent_seconds, 1),
    )
