"""The supervisor names each worker it starts and reports a dead one before starting the next."""

import sys

from tests.waiting import wait_until
from townsquare.ops.supervisor import Supervisor


def child_printing_its_id(tmp_path, seconds: float) -> list[str]:
    # The child appends its --worker-id argument to a file, then lives `seconds`.
    code = f"import sys, time; open({str(tmp_path / 'ids')!r}, 'a').write(sys.argv[2] + '\\n'); time.sleep({seconds})"
    return [sys.executable, "-c", code]


def started_ids(tmp_path) -> list[str]:
    path = tmp_path / "ids"
    return path.read_text().split() if path.exists() else []


def test_each_child_gets_a_fresh_id_and_a_dead_one_is_reported_before_the_restart(tmp_path):
    exits = []
    supervisor = Supervisor(
        child_printing_its_id(tmp_path, 0),
        first_backoff=0.01,
        child_id_option="--worker-id",
        on_exit=lambda child_id: exits.append((child_id, list(started_ids(tmp_path)))),
    )
    supervisor.start()
    try:
        assert wait_until(lambda: len(started_ids(tmp_path)) >= 3 and len(exits) >= 2)
    finally:
        supervisor.stop()
    ids = started_ids(tmp_path)
    assert len(set(ids)) == len(ids) >= 3
    # The first exit was reported with only the first child started: before its replacement.
    assert exits[0] == (ids[0], ids[:1])
    assert exits[1][0] == ids[1]


def test_stopping_reports_the_last_child_too(tmp_path):
    exits = []
    supervisor = Supervisor(
        child_printing_its_id(tmp_path, 60), child_id_option="--worker-id", on_exit=exits.append
    )
    supervisor.start()
    assert wait_until(lambda: started_ids(tmp_path))

    supervisor.stop()

    assert exits == started_ids(tmp_path)


def test_the_periodic_check_runs_with_the_live_childs_id(tmp_path):
    checks = []
    supervisor = Supervisor(
        child_printing_its_id(tmp_path, 60),
        child_id_option="--worker-id",
        periodic=checks.append,
        period=0.05,
    )
    supervisor.start()
    try:
        assert wait_until(lambda: len(checks) >= 3)
    finally:
        supervisor.stop()
    assert set(checks) == set(started_ids(tmp_path))


def test_a_failing_hook_does_not_stop_the_supervision(tmp_path, caplog):
    def broken(child_id):
        raise RuntimeError("database is down")

    supervisor = Supervisor([sys.executable, "-c", "pass"], first_backoff=0.01, on_exit=broken)
    supervisor.start()
    try:
        assert wait_until(lambda: supervisor.restarts >= 2)
    finally:
        supervisor.stop()
    assert "worker: broken failed" in caplog.text
