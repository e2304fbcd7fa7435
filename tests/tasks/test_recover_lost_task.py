"""A task whose worker died is failed with a clear reason and retried (or given up), exactly once."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.tasks import jobs
from tests.tasks.helpers import TaskResultStatus, claim, events, results_of, run_worker, statuses
from townsquare.tasks.attempts import attempt_of
from townsquare.tasks.recovery import WORKER_LOST, recover, recover_stale, recover_worker
from townsquare.tasks.retry import after_failed_attempt

pytestmark = pytest.mark.django_db

FAILED, SUCCESSFUL, READY, RUNNING = (
    TaskResultStatus.FAILED,
    TaskResultStatus.SUCCESSFUL,
    TaskResultStatus.READY,
    TaskResultStatus.RUNNING,
)


@pytest.fixture(autouse=True)
def no_backoff(settings):
    settings.TASK_RETRY_BASE_SECONDS = 0


def started_ago(row: DBTaskResult, seconds: float) -> None:
    DBTaskResult.objects.filter(id=row.id).update(started_at=timezone.now() - timedelta(seconds=seconds))


def test_the_task_of_a_dead_worker_is_failed_and_retried_by_the_next_worker(tmp_path):
    queued = jobs.flaky.enqueue(str(tmp_path / "runs"), failures=0)
    claim(queued.id, "w-dead")

    assert recover_worker("w-dead") == 1

    lost, retry = results_of(jobs.flaky)
    assert (lost.status, lost.exception_class_path) == (FAILED, WORKER_LOST)
    assert "worker w-dead died while running this attempt" in lost.traceback
    assert (retry.status, attempt_of(retry.id).number) == (READY, 2)
    [recovered] = events("task.recovered")
    assert recovered == {
        "task": "tests.tasks.jobs.flaky",
        "result_id": queued.id,
        "worker_id": "w-dead",
        "reason": "worker w-dead died while running this attempt",
    }
    run_worker()
    assert statuses(jobs.flaky) == [FAILED, SUCCESSFUL]


def test_only_the_dead_workers_tasks_are_touched(tmp_path):
    mine = jobs.flaky.enqueue(str(tmp_path / "a"), failures=0)
    theirs = jobs.flaky.enqueue(str(tmp_path / "b"), failures=0)
    claim(mine.id, "w-dead")
    claim(theirs.id, "w-alive")

    recover_worker("w-dead")

    assert DBTaskResult.objects.get(id=theirs.id).status == RUNNING


def test_recovering_twice_requeues_once(tmp_path):
    queued = jobs.flaky.enqueue(str(tmp_path / "runs"), failures=0)
    claim(queued.id, "w-dead")

    assert recover_worker("w-dead") == 1
    assert recover_worker("w-dead") == 0

    assert len(results_of(jobs.flaky)) == 2
    assert len(events("task.recovered")) == 1


def test_a_lost_last_attempt_gives_up(tmp_path):
    jobs.single_shot.enqueue(str(tmp_path / "runs"))
    [row] = results_of(jobs.single_shot)
    claim(row.id, "w-dead")

    recover_worker("w-dead")

    assert statuses(jobs.single_shot) == [FAILED]
    [gave_up] = events("task.gave_up")
    assert gave_up["attempts"] == 1
    assert gave_up["exception"].startswith(f"{WORKER_LOST}: worker w-dead died")


def test_a_lost_plain_django_task_is_failed_not_retried(tmp_path):
    queued = jobs.plain.enqueue(str(tmp_path / "runs"))
    claim(queued.id, "w-dead")

    recover_worker("w-dead")

    assert statuses(jobs.plain) == [FAILED]
    assert len(events("task.gave_up")) == 1


def test_a_worker_reporting_a_failure_after_recovery_does_not_schedule_a_second_retry(tmp_path):
    queued = jobs.flaky.enqueue(str(tmp_path / "runs"), failures=0)
    claim(queued.id, "w-slow")
    recover_worker("w-slow")

    after_failed_attempt(queued.id, RuntimeError("the slow worker fails at last"))

    assert len(results_of(jobs.flaky)) == 2
    assert DBTaskResult.objects.get(id=queued.id).exception_class_path == WORKER_LOST


def test_stale_running_tasks_are_recovered_but_recent_and_live_ones_are_not(tmp_path):
    stale = claim(jobs.flaky.enqueue(str(tmp_path / "a"), failures=0).id, "w-gone")
    recent = claim(jobs.flaky.enqueue(str(tmp_path / "b"), failures=0).id, "w-busy")
    ours = claim(jobs.flaky.enqueue(str(tmp_path / "c"), failures=0).id, "w-ours")
    started_ago(stale, 3600)
    started_ago(recent, 60)
    started_ago(ours, 3600)

    assert recover_stale(1800, alive=("w-ours",)) == 1

    assert DBTaskResult.objects.get(id=stale.id).status == FAILED
    assert DBTaskResult.objects.get(id=recent.id).status == RUNNING
    assert DBTaskResult.objects.get(id=ours.id).status == RUNNING
    [recovered] = events("task.recovered")
    assert "longer than 1800s: presumed dead" in recovered["reason"]


def test_recover_tasks_command_uses_older_than(tmp_path):
    row = claim(jobs.flaky.enqueue(str(tmp_path / "runs"), failures=0).id, "w-gone")
    started_ago(row, 120)
    out = StringIO()

    call_command("recover_tasks", "--older-than", "300", stdout=out)
    call_command("recover_tasks", "--older-than", "60", stdout=out)

    assert out.getvalue() == "Recovered 0 task(s).\nRecovered 1 task(s).\n"


def test_recover_tasks_command_default_comes_from_the_environment(tmp_path, monkeypatch):
    row = claim(jobs.flaky.enqueue(str(tmp_path / "runs"), failures=0).id, "w-gone")
    started_ago(row, 120)
    out = StringIO()

    call_command("recover_tasks", stdout=out)  # 30 minutes by default
    monkeypatch.setenv("TOWNSQUARE_TASK_STALE_SECONDS", "100")
    call_command("recover_tasks", stdout=out)

    assert out.getvalue() == "Recovered 0 task(s).\nRecovered 1 task(s).\n"


def test_recover_tasks_command_for_one_dead_worker(tmp_path):
    claim(jobs.flaky.enqueue(str(tmp_path / "runs"), failures=0).id, "w-dead")
    out = StringIO()

    call_command("recover_tasks", "--worker-id", "w-dead", stdout=out)

    assert out.getvalue() == "Recovered 1 task(s).\n"


def test_recover_tasks_command_refuses_bad_options():
    with pytest.raises(CommandError, match="either --worker-id or --older-than"):
        call_command("recover_tasks", "--worker-id", "w", "--older-than", "5")
    with pytest.raises(CommandError, match="must not be negative"):
        call_command("recover_tasks", "--older-than", "-1")


def test_of_two_recoverers_that_both_saw_the_task_running_only_the_first_requeues_it(tmp_path):
    row = claim(jobs.flaky.enqueue(str(tmp_path / "runs"), failures=0).id, "w-gone")

    assert recover(row.id, "seen by the first recoverer") is True
    assert recover(row.id, "seen by the second recoverer") is False

    assert len(results_of(jobs.flaky)) == 2
    assert [e["reason"] for e in events("task.recovered")] == ["seen by the first recoverer"]
