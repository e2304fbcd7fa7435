"""Running queued tasks in the test process with django_tasks_db's own worker loop."""

from unittest import mock

from django.tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from townsquare.events.models import Event


def run_worker(worker_id: str = "test-worker") -> None:
    """Run every ready task, including retries that become ready meanwhile, then return."""
    # The worker closes "old" connections between tasks, which would end the test's transaction.
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        worker(worker_id).run()


def worker(worker_id: str) -> Worker:
    return Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )


def results_of(task) -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=task.module_path).order_by("enqueued_at"))


def statuses(task) -> list[str]:
    return [row.status for row in results_of(task)]


def events(kind: str) -> list[dict]:
    return [event.data for event in Event.objects.filter(kind=kind)]


def claim(result_id, worker_id: str) -> DBTaskResult:
    """Mark a queued task RUNNING on `worker_id`, as db_worker does, without running it."""
    row = DBTaskResult.objects.get(id=result_id)
    row.claim(worker_id)
    return row


__all__ = ["TaskResultStatus", "claim", "events", "results_of", "run_worker", "statuses"]
