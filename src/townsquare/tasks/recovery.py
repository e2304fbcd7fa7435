"""Tasks whose worker died: the attempt counts as failed, so the task is retried or given up."""

import logging
from datetime import timedelta

from django.db import transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from townsquare.events.log import record
from townsquare.tasks.retry import class_path, next_attempt

logger = logging.getLogger("townsquare.tasks")


class WorkerLost(Exception):
    """The error recorded for an attempt whose worker died (crash, SIGKILL, OOM) or went silent."""


WORKER_LOST = class_path(WorkerLost())


def last_worker(row: DBTaskResult) -> str:
    return row.worker_ids[-1] if row.worker_ids else ""


def recover_worker(worker_id: str) -> int:
    """Requeue what `worker_id` was running when it died; return how many tasks."""
    # Few rows are RUNNING (one per live worker), so filtering them here is cheap and portable.
    running = DBTaskResult.objects.running().only("id", "worker_ids")
    lost = [row.id for row in running if last_worker(row) == worker_id]
    return sum(
        recover(result_id, f"worker {worker_id} died while running this attempt") for result_id in lost
    )


def recover_stale(older_than: float, *, alive: tuple[str | None, ...] = ()) -> int:
    """Requeue tasks RUNNING for more than `older_than` seconds, except on workers known `alive`."""
    cutoff = timezone.now() - timedelta(seconds=older_than)
    stale = (
        DBTaskResult.objects.running().filter(started_at__lt=cutoff).only("id", "worker_ids", "started_at")
    )
    recovered = 0
    for row in stale:
        if last_worker(row) in alive:
            continue
        reason = (
            f"worker {last_worker(row) or '?'} has run this attempt since {row.started_at:%Y-%m-%d %H:%M:%S%z}, "
            f"longer than {older_than:g}s: presumed dead"
        )
        recovered += recover(row.id, reason)
    return recovered


def recover(result_id, reason: str) -> bool:
    """Fail one lost attempt and schedule the next; False when it was no longer RUNNING.

    The conditional UPDATE is the claim: of two recoverers (or a recoverer and the worker
    reporting its own result) exactly one moves the row out of RUNNING.
    """
    with transaction.atomic():
        claimed = DBTaskResult.objects.filter(id=result_id, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED,
            finished_at=timezone.now(),
            exception_class_path=WORKER_LOST,
            traceback=f"{WORKER_LOST}: {reason}\n",
        )
        if not claimed:
            return False
        row = DBTaskResult.objects.get(id=result_id)
        record(
            "task.recovered",
            data={
                "task": row.task_path,
                "result_id": str(row.id),
                "worker_id": last_worker(row),
                "reason": reason,
            },
        )
        next_attempt(row, f"{WORKER_LOST}: {reason}")
    logger.warning("Recovered task %s (%s): %s", row.task_path, row.id, reason)
    return True
