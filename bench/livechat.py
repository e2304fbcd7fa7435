"""Live chat at load: WebSocket sessions one web process holds, and customer -> agent fan-out latency.

For each setup (bench/livechat_server.py) a fresh database gets one agent, one live chat channel
and visitor tokens; then a load generator in its own process (bench/livechat_load.py, on loopback)

- `concurrent_sessions`: opens visitor sockets in waves of 100 (hello, wait for ready) up to
  `sessions` (default 3,000; goal >= 2,000), stopping at the first failure; reads the server's
  resident memory; checks every socket still answers a ping; reports how many were held.
  `session_memory_kb` is the server's memory per held session.
- `fanout_p99_ms`: an agent's console socket (two by default) and 200 visitors; after one warm-up
  message per visitor (it opens the conversation), visitors send 200 messages/s for 20 s on an
  open-loop schedule (round robin, never waiting for answers); each message's client_id is timed
  from the visitor's send to its arrival on the agent's console socket. Goal: p99 <= 100 ms, none
  lost (not at every agent DRAIN_SECONDS after the last send). `p99_ms_by_second` (per 2 s of
  sending) shows whether a queue builds up; `server_cores_used` whether the server got a core.

Each measure runs on fresh web processes, served like `townsquare run` serves them (uvicorn, one
worker), with the product's limits unchanged: every visitor connects from its own loopback
address, as real visitors come from many. Sessions are minted in bulk (bench/livechat_setup.py).

Setups: "embedded" (SQLite, in-memory channel layer, one web process) and "redis" (PostgreSQL,
Redis channel layer, two web processes: sessions split over both; in fan-out the visitors are on
one process and the agents on the other, so every message crosses Redis).

Baseline, same run, same load generator: a bare `websockets` server (bench/livechat_baseline.py)
that answers hello/ping and relays each message to the console sockets, with no Django, database
or channel layer. Skipped setups (no Redis or PostgreSQL answering) print a `skipped` line.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from bench.livechat_server import (
    Setup,
    cpu_seconds,
    free_ports,
    prepare,
    rss_mb,
    runqueue_wait_seconds,
    start_baseline,
    start_web,
    stop,
)
from bench.report import emit, note

REPO = Path(__file__).resolve().parents[1]
DEFAULT_ROOT = REPO / "var" / "bench"
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/ts_bench_livechat"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
SESSIONS_GOAL = 2000
FANOUT_GOAL_MS = 100
WARM_SESSIONS = 20
# A message not at the agent this long after the last one was sent counts as lost.
DRAIN_SECONDS = 10
# The brand's site that embeds the widget: visitors' sockets carry its Origin, which the channel allows.
HOST_SITE = "https://shop.example"
BASELINE_NAME = "bare websockets relay server (no Django, database or channel layer), same load, same run"


def drive(config: dict, on_checkpoint=None) -> dict:
    """Run the load generator with `config`; call on_checkpoint(event) at each pause; return its result."""
    with tempfile.TemporaryFile(mode="w+") as errors:
        child = subprocess.Popen(
            [sys.executable, "-m", "bench.livechat_load"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            cwd=REPO,
        )
        child.stdin.write(json.dumps(config) + "\n")
        child.stdin.flush()
        result = None
        for line in child.stdout:
            event = json.loads(line)
            if event["event"] == "done":
                result = event
                break
            if on_checkpoint:
                on_checkpoint(event)
            child.stdin.write("\n")
            child.stdin.flush()
        child.stdin.close()
        child.wait(60)
        if result is None or child.returncode:
            errors.seek(0)
            raise RuntimeError(f"the load generator failed ({child.returncode}):\n{errors.read()[-3000:]}")
    return result


def target(port: int, path: str, origin: str = "") -> dict:
    return {"url": f"ws://127.0.0.1:{port}{path}", "origin": origin or f"http://127.0.0.1:{port}"}


def measure_hold(targets: list[dict], tokens: list[str], pids: list[int], sessions: int) -> dict:
    readings = {}

    def read_memory(event: dict) -> None:
        readings[event["event"]] = (sum(rss_mb(pid) for pid in pids), event["opened"])

    config = {"mode": "hold", "customer_targets": targets, "tokens": tokens, "sessions": sessions}
    result = drive(config | {"warm_sessions": min(WARM_SESSIONS, sessions // 2), "wave": 100}, read_memory)
    (warm_mb, warm_opened), (held_mb, held_opened) = readings["warm"], readings["held"]
    result["rss_mb"] = round(held_mb, 1)
    result["rss_warm_mb"] = round(warm_mb, 1)
    added = held_opened - warm_opened
    result["kb_per_session"] = round((held_mb - warm_mb) * 1024 / added, 1) if added > 0 else 0.0
    return result


def measure_fanout(config: dict, pids: list[int]) -> dict:
    cpu_before, started = sum(cpu_seconds(pid) for pid in pids), time.perf_counter()
    waited_before = sum(runqueue_wait_seconds(pid) for pid in pids)
    result = drive(config | {"mode": "fanout", "wave": 50, "drain_seconds": DRAIN_SECONDS})
    cpu, wall = sum(cpu_seconds(pid) for pid in pids) - cpu_before, time.perf_counter() - started
    waited = sum(runqueue_wait_seconds(pid) for pid in pids) - waited_before
    sent = result.get("sent", 0) + result.get("sessions", 0)  # the timed messages and the warm-up ones
    result["server_cpu_ms_per_message"] = round(cpu * 1000 / max(1, sent), 2)
    # Cores the server processes used on average: far below 1 on a busy machine means they waited for one.
    result["server_cores_used"] = round(cpu / wall, 2)
    # ... and how long its threads were ready to run but every core was taken (other processes).
    result["server_runqueue_wait_ms_per_s"] = round(waited * 1000 / wall, 1)
    result["drain_seconds"] = DRAIN_SECONDS
    return result


def baseline(work: Path, sessions: int, fanout: dict) -> dict:
    (port,) = free_ports(1)
    server = start_baseline(port, work / "baseline.log")
    try:
        visitors = [target(port, "/ws/livechat/0/", HOST_SITE)]
        note(f"livechat: baseline holding up to {sessions:,} sockets")
        hold = measure_hold(visitors, ["baseline"] * sessions, [server.pid], sessions)
        note("livechat: baseline fan-out")
        config = fanout | {"customer_targets": visitors, "console_targets": [target(port, "/ws/console/")]}
        spread = measure_fanout(
            config | {"tokens": ["baseline"] * fanout["sessions"], "cookie": ""}, [server.pid]
        )
    finally:
        stop([server])
    return {"hold": hold, "fanout": spread}


def townsquare(setup: Setup, sessions: int, fanout: dict) -> dict:
    """Both measures on fresh web processes each: a mass disconnect keeps a server busy for a while."""
    ports = free_ports(setup.web_processes)
    note(f"livechat: {setup.name}: preparing {setup.describe()['database']} with {sessions:,} visitor tokens")
    prepared = prepare(setup, sessions + fanout["sessions"], [HOST_SITE])
    path = f"/ws/livechat/{prepared['channel']}/"
    visitors = [target(port, path, HOST_SITE) for port in ports]
    with web_processes(setup, ports, "hold") as pids:
        note(f"livechat: {setup.name}: holding up to {sessions:,} sessions on {len(ports)} web process(es)")
        hold = measure_hold(visitors, prepared["tokens"][:sessions], pids, sessions)
    with web_processes(setup, ports, "fanout") as pids:
        note(f"livechat: {setup.name}: fan-out, {fanout['rate']:g} messages/s for {fanout['seconds']:g} s")
        config = fanout | {
            "customer_targets": visitors[:1],
            "console_targets": [target(ports[-1], "/ws/console/")],
            "tokens": prepared["tokens"][sessions:],
            "cookie": prepared["cookie"],
        }
        spread = measure_fanout(config, pids)
    return {"hold": hold, "fanout": spread}


@contextmanager
def web_processes(setup: Setup, ports: list[int], phase: str):
    servers = []
    try:
        for index, port in enumerate(ports):
            servers.append(start_web(setup, port, setup.data_dir / f"web-{index}-{phase}.log"))
        yield [server.pid for server in servers]
    finally:
        stop(servers)


def emit_setup(setup: Setup, ours: dict, base: dict, sessions: int) -> None:
    hold, base_hold = ours["hold"], base["hold"]
    emit(
        "livechat",
        "concurrent_sessions",
        hold["alive"],
        base_hold["alive"],
        unit="sessions",
        **setup.describe(),
        goal=f">= {SESSIONS_GOAL}",
        met=hold["alive"] >= SESSIONS_GOAL and hold["error_count"] == 0,
        attempted=sessions,
        opened=hold["opened"],
        dropped=hold["opened"] - hold["alive"],
        errors=hold["errors"],
        rss_mb=hold["rss_mb"],
        connect_ms=hold["connect_ms"],
        ready_ms=hold["ready_ms"],
        open_seconds=hold["open_seconds"],
        baseline_name=BASELINE_NAME,
        baseline_rss_mb=base_hold["rss_mb"],
        baseline_connect_ms=base_hold["connect_ms"],
    )
    emit(
        "livechat",
        "session_memory_kb",
        hold["kb_per_session"],
        base_hold["kb_per_session"],
        unit="KB per held session",
        **setup.describe(),
        sessions=hold["opened"],
        baseline_name=BASELINE_NAME,
    )
    spread, base_spread = ours["fanout"], base["fanout"]
    latency = spread.get("latency_ms", {})
    emit(
        "livechat",
        "fanout_p99_ms",
        latency.get("p99", 0.0),
        base_spread["latency_ms"]["p99"],
        unit="ms",
        **setup.describe(),
        goal=f"<= {FANOUT_GOAL_MS} ms at {spread.get('sent', 0) and round(spread['achieved_rate'])} messages/s, none lost",
        met=spread.get("sent", 0) > 0
        and latency["p99"] <= FANOUT_GOAL_MS
        and spread["lost"] == 0
        and not spread["errors"],
        baseline_name=BASELINE_NAME,
        baseline_latency_ms=base_spread["latency_ms"],
        load_average=[round(x, 2) for x in os.getloadavg()],
        **{key: value for key, value in spread.items() if key != "event"},
    )


def forget_finished_runs(root: Path) -> None:
    """Each run keeps its data directory (server logs) under its pid; those of finished runs go."""
    for path in root.glob("livechat-*-*"):
        pid = path.name.rsplit("-", 1)[1]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            shutil.rmtree(path, ignore_errors=True)


def setups(root: Path, names: tuple[str, ...], pg_url: str, redis_url: str) -> list[Setup]:
    unknown = set(names) - {"embedded", "redis"}
    if unknown:
        raise SystemExit(f"--livechat-setups: unknown {', '.join(sorted(unknown))} (embedded, redis)")
    forget_finished_runs(root)
    chosen = []
    if "embedded" in names:
        chosen.append(Setup("embedded", root / f"livechat-embedded-{os.getpid()}"))
    if "redis" in names:
        reason = unreachable(pg_url, redis_url)
        if reason:
            note(f"livechat: redis setup skipped: {reason}")
            print(json.dumps({"bench": "livechat", "setup": "redis", "skipped": reason}), flush=True)
        else:
            prefix = f"ts-bench-livechat-{os.getpid()}"
            data_dir = root / f"livechat-redis-{os.getpid()}"
            chosen.append(Setup("redis", data_dir, pg_url, redis_url, prefix, web_processes=2))
    return chosen


def unreachable(pg_url: str, redis_url: str) -> str:
    from bench.inbox_cache import postgres_reachable

    reason = postgres_reachable(pg_url)
    if reason:
        return f"PostgreSQL does not answer at {pg_url}: {reason}"
    import redis

    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        return f"Redis does not answer at {redis_url}: {exc}"
    return ""


def forget_redis_keys(setup: Setup) -> None:
    import redis

    client = redis.Redis.from_url(setup.redis_url)
    keys = list(client.scan_iter(match=f"{setup.channel_prefix}*", count=1000))
    if keys:
        client.delete(*keys)


def run(
    sessions: int = 3000,
    fanout_sessions: int = 200,
    rate: float = 200,
    seconds: float = 20,
    agents: int = 2,
    root: Path = DEFAULT_ROOT,
    setup_names: tuple[str, ...] = ("embedded", "redis"),
    pg_url: str = DEFAULT_PG_URL,
    redis_url: str = DEFAULT_REDIS_URL,
) -> None:
    started = time.perf_counter()
    fanout = {"sessions": fanout_sessions, "rate": rate, "seconds": seconds, "agents": agents}
    chosen = setups(root, setup_names, pg_url, redis_url)
    with tempfile.TemporaryDirectory(prefix="townsquare-bench-livechat-") as tmp:
        base = baseline(Path(tmp), sessions, fanout)
    for setup in chosen:
        try:
            ours = townsquare(setup, sessions, fanout)
        finally:
            if setup.redis_url:
                forget_redis_keys(setup)
        emit_setup(setup, ours, base, sessions)
    note(f"livechat: done in {time.perf_counter() - started:.0f} s")
