"""The background worker next to the web server: restarted when it dies, stopped on shutdown."""

import sys
import time

from tests.waiting import wait_until
from townsquare.ops.supervisor import Supervisor


def python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def test_a_dying_worker_is_restarted_with_growing_backoff(caplog):
    supervisor = Supervisor(python("import sys; sys.exit(3)"), first_backoff=0.05, max_backoff=0.2)
    supervisor.start()
    try:
        assert wait_until(lambda: supervisor.restarts >= 3)
    finally:
        supervisor.stop()
    assert "worker exited with code 3; restarting in 0.1s" in caplog.text


def test_stop_ends_a_running_worker_and_it_stays_stopped():
    supervisor = Supervisor(python("import time; time.sleep(60)"), first_backoff=0.01)
    supervisor.start()
    started = time.monotonic()

    code = supervisor.stop()

    assert code == -15
    assert time.monotonic() - started < 5
    time.sleep(0.1)
    assert supervisor.restarts == 0


def test_a_worker_ignoring_sigterm_is_killed():
    code = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print(flush=True); time.sleep(60)"
    supervisor = Supervisor(python(code), stop_timeout=0.3)
    supervisor.start()
    time.sleep(0.5)

    assert supervisor.stop() == -9
