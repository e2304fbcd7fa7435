"""Background tasks that survive failures: retried with backoff, recovered when a worker dies.

Define tasks with `reliable_task` instead of `django.tasks.task`; enqueue them as usual with
`my_task.enqueue(...)`. Every attempt is its own task result, so a failed attempt keeps its
traceback; `townsquare.tasks.attempts.latest_attempt(result_id)` follows a result to its newest
attempt.
"""

from townsquare.tasks.reliable import ReliableTask, reliable_task

__all__ = ["ReliableTask", "reliable_task"]
