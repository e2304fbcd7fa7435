"""`reliable_task`: a django.tasks Task that knows how often to try and which errors are final."""

import logging
from contextvars import ContextVar
from dataclasses import dataclass

from django.tasks import Task
from django_tasks_db.backend import DatabaseBackend

logger = logging.getLogger("townsquare.tasks")

# The task result this thread's worker is running. Task.call() is given only the task's own
# arguments, so the worker's `task_started` signal tells us which result an exception belongs to.
running_result_id: ContextVar[str | None] = ContextVar("running_result_id", default=None)


def remember_running_result(sender, task_result, **kwargs) -> None:
    # Only the database backend keeps results a retry can follow; other backends just run.
    # (db_worker sends the backend instance as sender, other backends send its class.)
    backend = sender if isinstance(sender, type) else type(sender)
    if issubclass(backend, DatabaseBackend):
        running_result_id.set(str(task_result.id))


def forget_running_result(sender, task_result, **kwargs) -> None:
    running_result_id.set(None)


@dataclass(frozen=True, slots=True, kw_only=True)
class ReliableTask(Task):
    max_attempts: int = 3
    # Exceptions no retry can fix (bad input): the task gives up after the first of them.
    give_up_on: tuple[type[BaseException], ...] = ()

    def call(self, *args, **kwargs):
        try:
            # Explicit base call: zero-argument super() does not work in a slots dataclass.
            return Task.call(self, *args, **kwargs)
        except BaseException as exc:
            result_id = running_result_id.get()
            if result_id is not None:
                schedule_after_failure(result_id, exc, final=isinstance(exc, self.give_up_on))
            raise


def schedule_after_failure(result_id: str, exc: BaseException, *, final: bool) -> None:
    # Imported here: this module is imported while apps load, before models may be.
    from townsquare.tasks.retry import after_failed_attempt

    try:
        after_failed_attempt(result_id, exc, final=final)
    except Exception:
        # The task's own exception matters more; the worker records it as the attempt's error.
        logger.exception("Could not schedule the next attempt of task result %s", result_id)


def reliable_task(
    *,
    max_attempts: int = 3,
    queue_name: str = "default",
    priority: int = 0,
    give_up_on: tuple[type[BaseException], ...] = (),
    backend: str = "default",
    takes_context: bool = False,
):
    """Decorator for a background task that is tried up to `max_attempts` times.

    A failed attempt is retried after an exponential backoff with jitter; an exception listed in
    `give_up_on` ends the task at once. Giving up writes a `task.gave_up` event.
    """
    if max_attempts < 1:
        raise ValueError("max_attempts must be at least 1")

    def wrap(func):
        return ReliableTask(
            func=func,
            max_attempts=max_attempts,
            give_up_on=tuple(give_up_on),
            queue_name=queue_name,
            priority=priority,
            backend=backend,
            takes_context=takes_context,
        )

    return wrap
