"""Timing loops for the inbox bench: Django's test client, keep-alive HTTP, and raw-driver baselines."""

import http.client
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.processes import free_port, wait_for_port


@dataclass
class Target:
    """One page to time: the paths to request in turn, and the plain SELECTs that fetch the same rows."""

    name: str
    username: str
    paths: list[str]
    # For request i, the baseline runs queries[i % len(queries)]: a list of (sql, params).
    queries: list[list[tuple[str, list]]]
    headers: dict[str, str] = field(default_factory=dict)


def quantiles_ms(seconds: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(seconds, n=100, method="inclusive")
    return cuts[49] * 1000, cuts[94] * 1000


def _check(target: Target, path: str, status: int, body: bytes) -> None:
    if status != 200:
        raise RuntimeError(f"{target.name}: GET {path} answered {status}: {body[:300]!r}")


@dataclass(frozen=True)
class Plan:
    """How many requests to time, after how many warm-up ones, within how many seconds.

    A page slower than budget / requests gets fewer samples (at least MIN_SAMPLES): its p95 is
    far above the goal either way, and the whole bench still ends in minutes.
    """

    requests: int
    warmup: int
    budget_seconds: float


MIN_SAMPLES = 5


def timed_loop(one_request, plan: Plan) -> list[float]:
    """Call one_request(i) for warm-up, then time each call; seconds per call."""
    began = time.perf_counter()
    i = 0
    while i < plan.warmup and time.perf_counter() - began < plan.budget_seconds / 4:
        one_request(i)
        i += 1
    seconds, began = [], time.perf_counter()
    while len(seconds) < plan.requests and (
        len(seconds) < MIN_SAMPLES or time.perf_counter() - began < plan.budget_seconds
    ):
        started = time.perf_counter()
        one_request(i)
        seconds.append(time.perf_counter() - started)
        i += 1
    return seconds


def time_client(client, target: Target, plan: Plan) -> list[float]:
    """Request the target's paths in-process through Django's test client; seconds per request."""

    def one_request(i: int) -> None:
        path = target.paths[i % len(target.paths)]
        response = client.get(path, headers=target.headers)
        _check(target, path, response.status_code, response.content)

    return timed_loop(one_request, plan)


def time_http(port: int, cookie: str, target: Target, plan: Plan) -> list[float]:
    """The same over one keep-alive HTTP connection to a real server."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    headers = {"Cookie": cookie, **target.headers}

    def one_request(i: int) -> None:
        path = target.paths[i % len(target.paths)]
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        _check(target, path, response.status, response.read())

    try:
        return timed_loop(one_request, plan)
    finally:
        connection.close()


def time_baseline(raw, target: Target, plan: Plan, placeholder: str) -> list[float]:
    """The target's plain SELECTs on a raw sqlite3/psycopg connection; seconds per page."""
    cursor = raw.cursor()

    def one_request(i: int) -> None:
        for sql, params in target.queries[i % len(target.queries)]:
            cursor.execute(sql.replace("%s", placeholder), params)
            cursor.fetchall()

    try:
        return timed_loop(one_request, plan)
    finally:
        cursor.close()


def start_server(env: dict[str, str], log: Path) -> tuple[subprocess.Popen, int]:
    """`uvicorn townsquare.asgi:application`, one worker, on a free port; returns (process, port)."""
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "townsquare.asgi:application", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--workers", "1", "--lifespan", "off", "--no-access-log"]
    with log.open("w") as handle:
        server = subprocess.Popen(command, env=env, stdout=handle, stderr=subprocess.STDOUT)
    try:
        wait_for_port(port, timeout=60)
    except TimeoutError:
        server.kill()
        raise RuntimeError(f"the server did not start:\n{log.read_text()[-3000:]}") from None
    return server, port


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(10)
