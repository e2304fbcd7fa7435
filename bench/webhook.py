"""Webhook throughput and latency: signed HTTP batches against the same batches stored in-process.

The server is `uvicorn townsquare.asgi:application` (one worker, a fresh SQLite data directory);
SENDERS processes each keep one HTTP connection open and POST batches of 100 messages to their
own webhook channel (the API limits deliveries per channel and minute). The baseline stores the
same batches with `store_messages` in one process, so the ratio is what HTTP, signing, JSON and
the view cost on top of storing.
"""

import http.client
import json
import multiprocessing
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

CREATE_CHANNELS = """
import json
from townsquare.inbox.models import Channel, ChannelKind
channels = [Channel.objects.create(name=f"bench-webhook-{i}", kind=ChannelKind.WEBHOOK) for i in range(CHANNEL_COUNT)]
print(json.dumps([[c.pk, c.secret] for c in channels]))
"""


def send(job: tuple[int, int, int, str, int, float]) -> dict:
    """One sender process: POST its batches over one keep-alive connection; return latencies."""
    sender, port, channel_id, secret, batches, start_at = job
    bodies = [encode(batch) for batch in sender_batches(sender, batches)]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    path = f"/api/v1/channels/{channel_id}/messages"
    latencies, failures, stored = [], [], 0
    time.sleep(max(0.0, start_at - time.time()))
    began = time.time()
    for body in bodies:
        status, answer, seconds = post_signed(connection, path, secret, body)
        latencies.append(seconds)
        if status == 202:
            stored += json.loads(answer)["stored"]
        else:
            failures.append(f"{status} {answer[:200]!r}")
    connection.close()
    return {
        "latencies": latencies,
        "failures": failures,
        "stored": stored,
        "began": began,
        "ended": time.time(),
    }


def start_server(data_dir: Path, port: int, log: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "uvicorn", "townsquare.asgi:application", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--workers", "1", "--lifespan", "off", "--no-access-log"]
    with log.open("w") as handle:
        server = subprocess.Popen(
            command, env=townsquare_env(data_dir), stdout=handle, stderr=subprocess.STDOUT
        )
    try:
        wait_for_port(port)
    except TimeoutError:
        server.kill()
        raise RuntimeError(f"the server did not start:\n{log.read_text()[-3000:]}") from None
    return server


def over_http(work: Path, senders: int, batches: int) -> dict:
    data_dir = work / "http"
    townsquare("migrate", "--noinput", data_dir=data_dir)
    out = townsquare("shell", "-c", CREATE_CHANNELS.replace("CHANNEL_COUNT", str(senders)), data_dir=data_dir)
    channels = json.loads(out.strip().splitlines()[-1])
    port = free_port()
    server = start_server(data_dir, port, work / "server.log")
    try:
        start_at = time.time() + 2.0  # every sender has built its batches by then
        jobs = [
            (i, port, channel_id, secret, batches, start_at)
            for i, (channel_id, secret) in enumerate(channels)
        ]
        with multiprocessing.get_context("spawn").Pool(senders) as pool:
            results = pool.map(send, jobs)
    finally:
        server.terminate()
        server.wait(30)
    failures = [failure for result in results for failure in result["failures"]]
    if failures:
        raise RuntimeError(f"{len(failures)} deliveries failed, e.g. {failures[0]}")
    return {
        "messages": sum(result["stored"] for result in results),
        "seconds": max(r["ended"] for r in results) - min(r["began"] for r in results),
        "latencies": [latency for result in results for latency in result["latencies"]],
    }


def in_process(work: Path, senders: int, batches: int) -> dict:
    data_dir = work / "inprocess"
    townsquare("migrate", "--noinput", data_dir=data_dir)
    done = subprocess.run(
        [sys.executable, "-m", "bench.store_inprocess", str(senders), str(batches)],
        env=townsquare_env(data_dir),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"in-process baseline failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def p95_ms(seconds: list[float]) -> float:
    return statistics.quantiles(seconds, n=20)[-1] * 1000


def run(messages: int = 20_000, senders: int = SENDERS) -> list[dict]:
    batches = max(1, messages // (BATCH_SIZE * senders))
    total = batches * BATCH_SIZE * senders
    with tempfile.TemporaryDirectory(prefix="townsquare-bench-") as tmp:
        work = Path(tmp)
        note(f"webhook: in-process baseline, {total:,} messages")
        base = in_process(work, senders, batches)
        note(f"webhook: {senders} senders posting {total:,} messages in batches of {BATCH_SIZE}")
        http = over_http(work, senders, batches)
    for name, result in (("http", http), ("in-process", base)):
        if result["messages"] != total:
            raise RuntimeError(f"{name} stored {result['messages']} of {total} messages")
    return [
        emit(
            "webhook",
            "messages_per_s",
            http["messages"] / http["seconds"],
            base["messages"] / base["seconds"],
            messages=total,
            senders=senders,
            batch=BATCH_SIZE,
        ),
        emit(
            "webhook",
            "p95_latency_ms",
            p95_ms(http["latencies"]),
            p95_ms(base["batch_seconds"]),
            note="baseline: p95 time to store one batch in-process",
        ),
    ]
