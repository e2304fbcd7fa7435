"""Run `townsquare` in child processes against a throwaway data directory."""

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TOWNSQUARE = (sys.executable, "-m", "townsquare.cli")


def townsquare_env(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        TOWNSQUARE_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="townsquare.settings",
        LOG_LEVEL="WARNING",
        OMP_NUM_THREADS="1",
    )
    # A benchmark's fresh data directory means the embedded SQLite database, whatever the shell says.
    env.pop("DATABASE_URL", None)
    return env


def townsquare(*args: str, data_dir: Path) -> str:
    """Run one `townsquare` command to completion; return its stdout, or fail showing its stderr."""
    done = subprocess.run(
        [*TOWNSQUARE, *args], env=townsquare_env(data_dir), capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise RuntimeError(f"townsquare {' '.join(args)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return done.stdout


def run_measured(command: list[str], env: dict[str, str]) -> tuple[float, float, str, float]:
    """Run one child; return (wall seconds, peak RSS in MB of that child alone, its stdout, and
    the CPU seconds it used, user + system: on a shared machine that is steadier than the wall).

    os.wait4 reports the resources of exactly that child, unlike RUSAGE_CHILDREN, which is the
    maximum over every child this process has ever waited for.
    """
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=errors)
        out = process.stdout.read()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        process.stdout.close()
        if process.returncode:
            errors.seek(0)
            raise subprocess.CalledProcessError(process.returncode, command, out, errors.read())
    # Linux reports ru_maxrss in kilobytes.
    return seconds, usage.ru_maxrss / 1024, out.decode(), usage.ru_utime + usage.ru_stime


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listens on port {port} after {timeout}s")
