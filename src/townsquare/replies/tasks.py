"""The background task that delivers a reply when its undo window ends (and each retry after backoff)."""

import logging

from django.db import transaction

from townsquare.tasks import reliable_task

logger = logging.getLogger(__name__)


# The delivery catches connector errors itself and schedules its own retries (replies/undelivered.py,
# honouring a channel's Retry-After); these attempts cover a crash of the task itself (database down).
@reliable_task(max_attempts=3)
def deliver_reply_task(reply_id: int) -> str:
    from townsquare.replies.delivery import deliver_reply

    return deliver_reply(reply_id)


def enqueue_delivery(reply) -> None:
    """Schedule delivery for the end of the undo window, once the reply is committed.

    A backend that cannot defer tasks would deliver at once, inside the undo window; there the
    reply waits for `townsquare deliver_due_replies` instead.
    """
    task = deliver_reply_task.using(run_after=reply.send_after)
    if not task.get_backend().supports_defer:
        logger.warning("task backend cannot defer; reply %s waits for deliver_due_replies", reply.pk)
        return
    transaction.on_commit(lambda: task.enqueue(reply.pk))
