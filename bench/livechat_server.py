"""Servers for the live chat bench: Townsquare web processes (as `townsquare run` serves them) and the baseline.

A setup is the embedded default (SQLite in a fresh data directory, the in-memory channel layer, one
web process) or the scale-out one (PostgreSQL, Redis as the channel layer, two web processes).
"""

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench.inbox_cache import django_env, run_child
from bench.processes import free_port, wait_for_port

SERVER_START_SECONDS = 60


@dataclass
class Setup:
    name: str  # "embedded" or "redis"
    data_dir: Path
    database_url: str = ""
    redis_url: str = ""
    channel_prefix: str = ""
    web_processes: int = 1

    def env(self) -> dict[str, str]:
        env = django_env(self.data_dir, self.database_url)
        env.pop("REDIS_URL", None)
        env["TOWNSQUARE_CHANNEL_LAYER"] = "redis" if self.redis_url else "memory"
        if self.redis_url:
            env.update(REDIS_URL=self.redis_url, TOWNSQUARE_CHANNEL_PREFIX=self.channel_prefix)
        return env

    def describe(self) -> dict:
        return {
            "setup": self.name,
            "database": "postgresql" if self.database_url else "sqlite",
            "channel_layer": "redis" if self.redis_url else "memory",
            "web_processes": self.web_processes,
            "ws_deflate": served_with_deflate(),
        }


def recreate_postgres_database(url: str, *, create: bool = True) -> None:
    """Drop the URL's database (other sessions on it too) and, unless told not to, create it empty."""
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    admin = urlunsplit(urlsplit(url)._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            db.execute(f'CREATE DATABASE "{name}"')


def prepare(setup: Setup, sessions: int, origins: list[str]) -> dict:
    """A fresh, migrated database with the agent, the channel and `sessions` visitor tokens."""
    shutil.rmtree(setup.data_dir, ignore_errors=True)
    setup.data_dir.mkdir(parents=True, exist_ok=True)
    if setup.database_url:
        recreate_postgres_database(setup.database_url)
    env = setup.env()
    run_child(["-m", "townsquare.cli", "migrate", "--noinput"], env, "migrate")
    out = run_child(["-m", "bench.livechat_setup", str(sessions), *origins], env, "live chat setup")
    return json.loads(out.strip().splitlines()[-1])


def start(command: list[str], env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    with log.open("w") as handle:
        process = subprocess.Popen(command, env=env, stdout=handle, stderr=subprocess.STDOUT)
    try:
        wait_for_port(port, timeout=SERVER_START_SECONDS)
    except TimeoutError:
        process.kill()
        raise RuntimeError(f"{command[2]} did not start:\n{log.read_text()[-3000:]}") from None
    return process


def served_with_deflate() -> bool:
    """Whether `townsquare run` compresses WebSocket frames (the baseline server does the same)."""
    from townsquare.ops.serving import uvicorn_options

    return uvicorn_options().get("ws_per_message_deflate", True)


def start_web(setup: Setup, port: int, log: Path) -> subprocess.Popen:
    # The same application, server and options `townsquare run` uses, minus the access log.
    command = [sys.executable, "-m", "uvicorn", "townsquare.asgi:application", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--workers", "1", "--lifespan", "off", "--no-access-log"]
    command += ["--ws-per-message-deflate", str(served_with_deflate()).lower()]
    # Not a line per connection in the log: 3,000 of them would be part of what is measured.
    command += ["--log-level", "warning"]
    return start(command, setup.env(), port, log)


def start_baseline(port: int, log: Path) -> subprocess.Popen:
    env = dict(os.environ, OMP_NUM_THREADS="1")
    compression = "deflate" if served_with_deflate() else "none"
    return start([sys.executable, "-m", "bench.livechat_baseline", str(port), compression], env, port, log)


def stop(processes: list[subprocess.Popen], grace_seconds: float = 10) -> None:
    """Ask politely, then kill: a server still working through thousands of disconnects may take long."""
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(grace_seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


def rss_mb(pid: int) -> float:
    """Resident memory of one process now (VmRSS in /proc/PID/status)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time one process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def runqueue_wait_seconds(pid: int) -> float:
    """Time the process's threads spent runnable but waiting for a core (schedstat's second field)."""
    total = 0
    for stat in Path(f"/proc/{pid}/task").glob("*/schedstat"):
        try:
            total += int(stat.read_text().split()[1])
        except (OSError, IndexError, ValueError):
            continue  # a thread that ended meanwhile
    return total / 1e9


def free_ports(count: int) -> list[int]:
    ports: list[int] = []
    while len(ports) < count:
        port = free_port()
        if port not in ports:
            ports.append(port)
    return ports
