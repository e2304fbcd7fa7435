"""Keep one child process (the background task worker) running next to the web server.

Plain Python, no Django: the web server runs in the main thread and this runs in a thread.
"""

import logging
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence

logger = logging.getLogger("townsquare.ops")

WORKER_COMMAND = (sys.executable, "-m", "townsquare.cli", "db_worker", "--no-reload", "--queue-name", "*")


class Supervisor:
    """Start a command, restart it with exponential backoff whenever it exits, stop it on request."""

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
    ):
        self.command = list(command)
        self.name = name
        self.first_backoff = first_backoff
        self.max_backoff = max_backoff
        self.healthy_after = healthy_after
        self.stop_timeout = stop_timeout
        self.restarts = 0
        self.process: subprocess.Popen | None = None
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
            # Its own process group: Ctrl-C in the terminal reaches only us, and we stop the child
            # ourselves, so an interrupted child is never mistaken for a crash and restarted.
            self.process = subprocess.Popen(self.command, process_group=0)
            logger.info("%s started (pid %s)", self.name, self.process.pid)

    def _watch(self) -> None:
        backoff = self.first_backoff
        while not self._stopping.is_set():
            started = time.monotonic()
            code = self.process.wait()
            if self._stopping.is_set():
                return
            if time.monotonic() - started >= self.healthy_after:
                backoff = self.first_backoff
            logger.warning("%s exited with code %s; restarting in %.1fs", self.name, code, backoff)
            if self._stopping.wait(backoff):
                return
            backoff = min(backoff * 2, self.max_backoff)
            self.restarts += 1
            self._spawn()

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
        logger.info("%s stopped", self.name)
        return process.returncode
