"""A reliable task that raises is tried again after a backoff, until it succeeds or gives up."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.tasks import jobs
from tests.tasks.helpers import TaskResultStatus, events, results_of, run_worker, statuses
from townsquare.tasks.attempts import attempt_of, latest_attempt
from townsquare.tasks.retry import retry_delay

pytestmark = pytest.mark.django_db

FAILED, SUCCESSFUL, READY = TaskResultStatus.FAILED, TaskResultStatus.SUCCESSFUL, TaskResultStatus.READY


@pytest.fixture(autouse=True)
def no_backoff(settings):
    settings.TASK_RETRY_BASE_SECONDS = 0


def test_a_task_failing_twice_succeeds_on_its_third_attempt_and_keeps_both_failures(tmp_path):
    first = jobs.flaky.enqueue(str(tmp_path / "runs"), failures=2)

    run_worker()

    assert statuses(jobs.flaky) == [FAILED, FAILED, SUCCESSFUL]
    failed = results_of(jobs.flaky)[:2]
    assert [row.exception_class_path for row in failed] == ["tests.tasks.jobs.Flaky"] * 2
    assert "run 1 fails on purpose" in failed[0].traceback
    assert "run 2 fails on purpose" in failed[1].traceback
    newest = latest_attempt(first.id)
    assert (newest.status, newest.return_value) == (SUCCESSFUL, 3)
    assert attempt_of(newest.id).number == 3
    assert [e["attempts"] for e in events("task.retry_scheduled")] == [1, 2]
    assert events("task.gave_up") == []


def test_every_retry_keeps_the_arguments_queue_and_priority(tmp_path):
    jobs.flaky.using(priority=7, queue_name="default").enqueue(str(tmp_path / "runs"), failures=1)

    run_worker()

    rows = results_of(jobs.flaky)
    assert [row.priority for row in rows] == [7, 7]
    assert rows[0].args_kwargs == rows[1].args_kwargs


def test_a_task_that_always_fails_gives_up_after_max_attempts_with_an_event(tmp_path):
    counter = tmp_path / "runs"
    first = jobs.always_fails.enqueue(str(counter))

    run_worker()

    assert statuses(jobs.always_fails) == [FAILED, FAILED, FAILED]
    assert counter.read_text() == "3"
    [gave_up] = events("task.gave_up")
    assert gave_up["task"] == "tests.tasks.jobs.always_fails"
    assert gave_up["attempts"] == 3
    assert gave_up["first_result_id"] == first.id
    assert gave_up["exception"] == "tests.tasks.jobs.Flaky: run 3 fails as always"
    assert gave_up["permanent"] is False
    assert len(events("task.retry_scheduled")) == 2


def test_an_exception_declared_permanent_gives_up_at_once(tmp_path):
    jobs.rejects_bad_input.enqueue(str(tmp_path / "runs"))

    run_worker()

    assert statuses(jobs.rejects_bad_input) == [FAILED]
    [gave_up] = events("task.gave_up")
    assert (gave_up["attempts"], gave_up["permanent"]) == (1, True)


def test_a_single_attempt_task_gives_up_after_its_only_failure(tmp_path):
    jobs.single_shot.enqueue(str(tmp_path / "runs"))

    run_worker()

    assert statuses(jobs.single_shot) == [FAILED]
    assert len(events("task.gave_up")) == 1


def test_the_retry_waits_for_its_backoff(settings, tmp_path):
    settings.TASK_RETRY_BASE_SECONDS = 60
    before = timezone.now()
    jobs.flaky.enqueue(str(tmp_path / "runs"), failures=1)

    run_worker()

    failed, retry = results_of(jobs.flaky)
    assert (failed.status, retry.status) == (FAILED, READY)
    assert before + timedelta(seconds=30) <= retry.run_after <= timezone.now() + timedelta(seconds=60)
    [scheduled] = events("task.retry_scheduled")
    assert scheduled["next_result_id"] == str(retry.id)


def test_backoff_doubles_from_the_configured_base_with_jitter_and_a_cap(settings):
    settings.TASK_RETRY_BASE_SECONDS = 10
    settings.TASK_RETRY_MAX_SECONDS = 900
    for failed_attempt, ceiling in [(1, 10), (2, 20), (3, 40), (7, 640), (8, 900), (30, 900)]:
        delays = {retry_delay(failed_attempt).total_seconds() for _ in range(50)}
        assert all(ceiling / 2 <= delay <= ceiling for delay in delays), failed_attempt
        assert len(delays) > 1, "jitter spreads retries out"


def test_the_base_comes_from_the_environment_when_not_in_settings(settings, monkeypatch):
    monkeypatch.setenv("TOWNSQUARE_TASK_RETRY_BASE_SECONDS", "0.5")
    del settings.TASK_RETRY_BASE_SECONDS  # the autouse fixture set it
    assert 0.25 <= retry_delay(1).total_seconds() <= 0.5


def test_calling_the_function_directly_raises_and_enqueues_nothing(tmp_path):
    with pytest.raises(jobs.Flaky):
        jobs.always_fails.call(str(tmp_path / "runs"))

    assert results_of(jobs.always_fails) == []
