"""After an attempt failed: try again after a backoff, or give up and say so in the event log."""

import logging
import random
from datetime import timedelta
from traceback import format_exception

from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from townsquare.events.log import record
from townsquare.tasks.attempts import attempt_of
from townsquare.tasks.config import retry_base_seconds, retry_max_seconds
from townsquare.tasks.models import Attempt

logger = logging.getLogger("townsquare.tasks")


def retry_delay(failed_attempt: int) -> timedelta:
    """Exponential backoff with jitter: base·2^(n-1) capped, then a random half to all of it.

    The jitter spreads out the retries of many tasks that failed together (a database restart).
    """
    ceiling = min(retry_base_seconds() * 2 ** (failed_attempt - 1), retry_max_seconds())
    return timedelta(seconds=random.uniform(ceiling / 2, ceiling))


def class_path(exc: BaseException) -> str:
    return f"{type(exc).__module__}.{type(exc).__qualname__}"


def after_failed_attempt(result_id: str, exc: BaseException, *, final: bool = False) -> None:
    """Mark the running attempt failed and schedule the next one (or give up), in one transaction.

    The update is conditional: when a recoverer already declared this attempt lost (and
    scheduled its successor), nothing happens here, so an attempt never has two successors.
    """
    with transaction.atomic():
        failed = DBTaskResult.objects.filter(id=result_id, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED,
            finished_at=timezone.now(),
            exception_class_path=class_path(exc),
            traceback="".join(format_exception(exc)),
        )
        if failed:
            next_attempt(DBTaskResult.objects.get(id=result_id), f"{class_path(exc)}: {exc}", final=final)


def next_attempt(failed: DBTaskResult, error: str, *, final: bool = False) -> str | None:
    """Enqueue the attempt after `failed` unless attempts are used up; return its result id.

    Call inside the transaction that marked `failed` as FAILED.
    """
    attempt = attempt_of(failed.id)
    try:
        task = failed.task
    except (ImportError, SuspiciousOperation):
        task = None  # its code is gone: no attempt could run
    max_attempts = getattr(task, "max_attempts", 1)
    about = {
        "task": failed.task_path,
        "result_id": str(failed.id),
        "first_result_id": str(attempt.first_result_id),
        "attempts": attempt.number,
        "max_attempts": max_attempts,
        "exception": error,
    }
    if task is None or final or attempt.number >= max_attempts:
        record("task.gave_up", data={**about, "permanent": final})
        logger.warning("Task %s gave up after %s attempt(s): %s", failed.task_path, attempt.number, error)
        return None
    run_after = timezone.now() + retry_delay(attempt.number)
    args_kwargs = failed.args_kwargs
    result = task.using(run_after=run_after).enqueue(*args_kwargs["args"], **args_kwargs["kwargs"])
    Attempt.objects.create(
        result_id=result.id,
        number=attempt.number + 1,
        first_result_id=attempt.first_result_id,
        previous_result_id=failed.id,
    )
    record(
        "task.retry_scheduled",
        data={**about, "next_result_id": result.id, "run_after": run_after.isoformat()},
    )
    logger.info(
        "Task %s attempt %s failed; attempt %s at %s",
        failed.task_path,
        attempt.number,
        attempt.number + 1,
        run_after,
    )
    return result.id
