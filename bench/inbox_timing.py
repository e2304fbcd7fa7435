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


def time_client(client, target: Target, requests: int, warmup: int) -> list[float]:
    """Request the target's paths in-process through Django's test client; seconds per request."""
    seconds = []
    for i in range(warmup + requests):
        path = target.paths[i % len(target.paths)]
        began = time.perf_counter()
        response = client.get(path, headers=target.headers)
        elapsed = time.perf_counter() - began
        _check(target, path, response.status_code, response.content)
        if i >= warmup:
            seconds.append(elapsed)
    return seconds


def time_http(port: int, cookie: str, target: Target, requests: int, warmup: int) -> list[float]:
    """The same over one keep-alive HTTP connection to a real server."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Cookie": cookie, **target.headers}
    seconds = []
    try:
        for i in range(warmup + requests):
            path = target.paths[i % len(target.paths)]
            began = time.perf_counter()
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            body = response.read()
            elapsed = time.perf_counter() - began
            _check(target, path, response.status, body)
            if i >= warmup:
                seconds.append(elapsed)
    finally:
        connection.close()
    return seconds


def time_baseline(raw, target: Target, requests: int, warmup: int, placeholder: str) -> list[float]:
    """The target's plain SELECTs on a raw sqlite3/psycopg connection; seconds per page."""
    seconds = []
    cursor = raw.cursor()
    for i in range(warmup + requests):
        queries = target.queries[i % len(target.queries)]
        began = time.perf_counter()
        for sql, params in queries:
            cursor.execute(sql.replace("%s", placeholder), params)
            cursor.fetchall()
        elapsed = time.perf_counter() - began
        if i >= warmup:
            seconds.append(elapsed)
    cursor.close()
    return seconds


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
