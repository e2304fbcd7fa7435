"""The background task that sends an endpoint's due deliveries, and scheduling it after commit."""

import logging
from datetime import datetime

from django.db import transaction
from django.tasks.exceptions import InvalidTask

from townsquare.tasks import reliable_task

logger = logging.getLogger("townsquare.hooks")
# A queue of its own, so an operator can give slow receivers a worker that holds up nothing else
# (`db_worker --queue-name webhooks`); the general worker serves it too.
QUEUE = "webhooks"


@reliable_task(max_attempts=3, queue_name=QUEUE)
def send_webhooks_task(endpoint_id: int) -> dict:
    from townsquare.hooks.delivering import send_due

    return send_due(endpoint_id=endpoint_id).as_dict()


def schedule_sending(endpoint_id: int, *, at: datetime | None = None) -> None:
    """Send the endpoint's due deliveries once the current transaction commits (at `at`, or now).

    After commit: the worker must find the deliveries, and a rolled-back event sends nothing.
    """
    transaction.on_commit(lambda: _enqueue(endpoint_id, at))


def schedule_endpoints(endpoint_ids) -> None:
    for endpoint_id in sorted(set(endpoint_ids)):
        schedule_sending(endpoint_id)


def _enqueue(endpoint_id: int, at: datetime | None) -> None:
    try:
        task = send_webhooks_task
        if at is not None:
            if not task.get_backend().supports_defer:
                return  # this backend cannot wait (ImmediateBackend); `townsquare send_webhooks` sends it
            task = task.using(run_after=at)
        task.enqueue(endpoint_id)
    except InvalidTask:
        # A backend configured without the webhooks queue: the deliveries stay due for
        # `townsquare send_webhooks`; the change that made them is already committed.
        logger.exception("Could not enqueue webhook sending for endpoint %s", endpoint_id)
