"""Keep a child process (a background task worker) running next to the web server.

Plain Python, no Django: the web server runs in the main thread and this runs in a thread.
What to do when a child dies (requeue its tasks) and what to check periodically are hooks.
"""

import logging
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence

logger = logging.getLogger("townsquare.ops")

_DB_WORKER = (sys.executable, "-m", "townsquare.cli", "db_worker", "--no-reload")
# The general worker: imports, the semantic triage path and everything else but fast triage. It
# runs niced: embedding batches are CPU-bound, and the web server and the fast-triage worker
# must get the CPU first when both want it.
WORKER_COMMAND = ("nice", "-n", "19", *_DB_WORKER, "--queue-name", "*", "--exclude-queues", "triage")
# Fast-path triage has a worker of its own polling every 0.1 s (the default is 1 s): labels should
# show within a second of ingest, and an import or an embedding batch must never hold them up.
# `triage_worker` is db_worker that loads the fast-path models before its first task.
TRIAGE_WORKER_COMMAND = (
    sys.executable,
    "-m",
    "townsquare.cli",
    "triage_worker",
    "--no-reload",
    "--queue-name",
    "triage",
    "--interval",
    "0.1",
    "--no-startup-delay",
)


def new_child_id() -> str:
    # Unique across hosts and restarts, and under db_worker's 64-character limit.
    return f"{socket.gethostname()[:40]}-{secrets.token_hex(8)}"


class Supervisor:
    """Start a command, restart it with exponential backoff whenever it exits, stop it on request.

    Each child gets a fresh id (passed as `child_id_option ID` when given). `on_exit(id)` runs
    after a child exited and before its replacement starts, and after `stop()`; `periodic(id of
    the live child)` runs every `period` seconds. Both run in the supervising thread.
    """

    def __init__(
        self,
        command: Sequence[str],
        *,
        name: str = "worker",
        first_backoff: float = 1.0,
        max_backoff: float = 30.0,
        # A child that ran this long is considered healthy again: the backoff starts over.
        healthy_after: float = 60.0,
        stop_timeout: float = 10.0,
        child_id_option: str | None = None,
        on_exit: Callable[[str], None] | None = None,
        periodic: Callable[[str], None] | None = None,
        period: float = 60.0,
    ):
        self.command = list(command)
        self.name = name
        self.first_backoff = first_backoff
        self.max_backoff = max_backoff
        self.healthy_after = healthy_after
        self.stop_timeout = stop_timeout
        self.child_id_option = child_id_option
        self.on_exit = on_exit
        self.periodic = periodic
        self.period = period
        self.restarts = 0
        self.process: subprocess.Popen | None = None
        self.child_id = ""
        self._next_check = time.monotonic() + period
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._watch, name=f"supervise-{name}", daemon=True)

    def start(self) -> None:
        self._spawn()
        self._thread.start()

    def _spawn(self) -> None:
        with self._lock:
            if self._stopping.is_set():
                return
            child_id = new_child_id()
            extra = [self.child_id_option, child_id] if self.child_id_option else []
            # Its own process group: Ctrl-C in the terminal reaches only us, and we stop the child
            # ourselves, so an interrupted child is never mistaken for a crash and restarted.
            self.process = subprocess.Popen([*self.command, *extra], process_group=0)
            self.child_id = child_id
            logger.info("%s %s started (pid %s)", self.name, child_id, self.process.pid)

    def _watch(self) -> None:
        backoff = self.first_backoff
        while not self._stopping.is_set():
            started = time.monotonic()
            code = self._wait_for_exit()
            if self._stopping.is_set():
                return
            if time.monotonic() - started >= self.healthy_after:
                backoff = self.first_backoff
            logger.warning("%s exited with code %s; restarting in %.1fs", self.name, code, backoff)
            self._hook(self.on_exit, self.child_id)
            if self._stopping.wait(backoff):
                return
            backoff = min(backoff * 2, self.max_backoff)
            self.restarts += 1
            self._spawn()

    def _wait_for_exit(self) -> int:
        """Wait for the child to exit, running the periodic hook on time meanwhile."""
        while True:
            timeout = None if self.periodic is None else max(0.0, self._next_check - time.monotonic())
            try:
                return self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self._next_check = time.monotonic() + self.period
                self._hook(self.periodic, self.child_id)

    def _hook(self, hook: Callable[[str], None] | None, child_id: str) -> None:
        if hook is None:
            return
        try:
            hook(child_id)
        except Exception:
            # A failing hook (database down) must not stop the supervision; it runs again later.
            logger.exception("%s: %s failed", self.name, getattr(hook, "__name__", hook))

    def stop(self) -> int | None:
        """Ask the child to finish (SIGTERM), kill it after `stop_timeout`; return its exit code."""
        with self._lock:
            self._stopping.set()
            process = self.process
        if process is None:
            return None
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(self.stop_timeout)
            except subprocess.TimeoutExpired:
                logger.warning("%s did not stop within %ss; killing it", self.name, self.stop_timeout)
                process.kill()
                process.wait()
        if self._thread.is_alive():
            self._thread.join(timeout=1)
        # A child killed mid-task left it RUNNING; hand it on now rather than after a restart.
        self._hook(self.on_exit, self.child_id)
        logger.info("%s stopped", self.name)
        return process.returncode
