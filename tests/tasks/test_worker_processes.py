"""Retry and recovery with real db_worker processes, on a fresh database of the run's kind."""

import os
import signal
import time

import pytest

from tests.inbox.fresh_db import fresh_database
from tests.tasks.processes import (
    RESULTS,
    WORKER,
    django,
    enqueue,
    free_port,
    history,
    start,
    stop,
)
from tests.waiting import wait_until

pytestmark = pytest.mark.django_db

BACKOFF = 0.2  # seconds before the second attempt; the third waits twice as long


@pytest.fixture(autouse=True)
def small_backoff(monkeypatch):
    monkeypatch.setenv("TOWNSQUARE_TASK_RETRY_BASE_SECONDS", str(BACKOFF))


def count(query, where: str) -> int:
    return query(f"SELECT count(*) FROM {RESULTS} WHERE {where}")[0][0]


def test_a_task_failing_twice_succeeds_on_the_third_attempt_after_backing_off(tmp_path):
    with fresh_database(tmp_path) as (url, query):
        enqueue(url, tmp_path, "flaky", str(tmp_path / "runs"), failures=2)
        worker = start(WORKER, url, tmp_path, tmp_path / "worker.log")
        try:
            wait_until(lambda: count(query, "status = 'SUCCESSFUL'"))
        finally:
            stop(worker)
        seen = history(url, tmp_path, "flaky")

    attempts = seen["attempts"]
    assert [a["status"] for a in attempts] == ["FAILED", "FAILED", "SUCCESSFUL"]
    assert [a["error"] for a in attempts] == ["tests.tasks.jobs.Flaky", "tests.tasks.jobs.Flaky", ""]
    assert "run 1 fails on purpose" in attempts[0]["traceback"]
    assert "run 2 fails on purpose" in attempts[1]["traceback"]
    assert attempts[2]["return_value"] == 3
    # Each retry waited at least the lower bound of its jittered backoff.
    for failed, retry, ceiling in [
        (attempts[0], attempts[1], BACKOFF),
        (attempts[1], attempts[2], 2 * BACKOFF),
    ]:
        assert retry["started_at"] - failed["finished_at"] >= ceiling / 2 - 0.01
    assert [kind for kind, _ in seen["events"]] == ["task.retry_scheduled"] * 2


def test_a_task_that_always_fails_stops_after_max_attempts_and_says_so(tmp_path):
    with fresh_database(tmp_path) as (url, query):
        enqueue(url, tmp_path, "always_fails", str(tmp_path / "runs"))
        worker = start(WORKER, url, tmp_path, tmp_path / "worker.log")
        try:
            wait_until(lambda: count(query, "status = 'FAILED'") == 3)
            wait_until(lambda: query("SELECT count(*) FROM events_event WHERE kind = 'task.gave_up'")[0][0])
        finally:
            stop(worker)
        seen = history(url, tmp_path, "always_fails")

    assert [a["status"] for a in seen["attempts"]] == ["FAILED"] * 3
    assert (tmp_path / "runs").read_text() == "3"
    kinds = [kind for kind, _ in seen["events"]]
    assert kinds == ["task.retry_scheduled", "task.retry_scheduled", "task.gave_up"]
    gave_up = seen["events"][-1][1]
    assert gave_up["task"] == "tests.tasks.jobs.always_fails"
    assert gave_up["attempts"] == 3
    assert gave_up["exception"] == "tests.tasks.jobs.Flaky: run 3 fails as always"


def test_a_task_whose_worker_is_killed_is_finished_by_the_restarted_worker(tmp_path):
    marker = tmp_path / "worker.pid"
    with fresh_database(tmp_path) as (url, query):
        enqueue(url, tmp_path, "sleeps_on_first_run", str(marker), 300)
        server = start(["run", "--no-demo", "--port", str(free_port())], url, tmp_path, tmp_path / "run.log")
        try:
            pid = int(wait_until(lambda: marker.exists() and marker.read_text()))
            os.kill(pid, signal.SIGKILL)
            killed_at = time.time()
            wait_until(lambda: count(query, "status = 'SUCCESSFUL'"))
        finally:
            stop(server)
            if marker.exists() and marker.read_text():
                # Should the server not have stopped its worker, don't leave it sleeping.
                try:
                    os.kill(int(marker.read_text()), signal.SIGKILL)
                except ProcessLookupError:
                    pass
        seen = history(url, tmp_path, "sleeps_on_first_run")

    killed, retried = seen["attempts"]
    assert (killed["status"], killed["error"]) == ("FAILED", "townsquare.tasks.recovery.WorkerLost")
    assert f"worker {killed['worker_ids'][-1]} died while running this attempt" in killed["traceback"]
    assert (retried["status"], retried["return_value"]) == ("SUCCESSFUL", "done")
    assert retried["worker_ids"] != killed["worker_ids"]
    assert [kind for kind, _ in seen["events"]] == ["task.recovered", "task.retry_scheduled"]
    # Shown with -s: recovery comes from the supervisor's restart backoff (1 s), not a timeout.
    print(
        f"requeued {killed['finished_at'] - killed_at:.2f}s and done {retried['finished_at'] - killed_at:.2f}s after the kill"
    )


def test_two_concurrent_recoverers_requeue_each_stale_task_exactly_once(tmp_path):
    stale = 300
    with fresh_database(tmp_path) as (url, query):
        make_stale = f"""
from datetime import timedelta
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from tests.tasks import jobs
for n in range({stale}):
    jobs.flaky.enqueue("/nonexistent", failures=0)
DBTaskResult.objects.update(status="RUNNING", started_at=timezone.now() - timedelta(hours=1), worker_ids=["w-gone"])
print(json.dumps(DBTaskResult.objects.filter(status="RUNNING").count()))
"""
        assert django(make_stale, url, tmp_path) == stale
        logs = [tmp_path / f"recoverer-{n}.log" for n in range(2)]
        recoverers = [start(["recover_tasks", "--older-than", "60"], url, tmp_path, log) for log in logs]
        codes = [process.wait(120) for process in recoverers]

        assert codes == [0, 0], [log.read_text()[-3000:] for log in logs]
        recovered = [
            int(line.split()[1])
            for log in logs
            for line in log.read_text().splitlines()
            if line.startswith("Recovered ") and line.endswith("task(s).")
        ]
        assert sum(recovered) == stale, recovered
        assert count(query, "status = 'READY'") == stale
        assert count(query, "status = 'FAILED'") == stale
        assert count(query, "status = 'RUNNING'") == 0
        assert query("SELECT count(DISTINCT previous_result_id), count(*) FROM tasks_attempt")[0] == (
            stale,
            stale,
        )
        kinds = dict(query("SELECT kind, count(*) FROM events_event GROUP BY kind"))
        assert kinds == {"task.recovered": stale, "task.retry_scheduled": stale}
        print(f"recovered per process: {recovered}")  # shown with -s: did the two really overlap?
