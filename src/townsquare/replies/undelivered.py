"""A reply the channel did not take: try again later with backoff, or mark it failed with the reason.

A failed reply is never dropped silently: it is shown on the conversation with the reason and a
Retry button, `reply.failed` is logged and the console is told at once.
"""

import logging
import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from townsquare.events.log import record
from townsquare.replies.delivery_config import max_attempts, retry_base_seconds, retry_max_seconds
from townsquare.replies.models import Reply, ReplyStatus

logger = logging.getLogger(__name__)
MAX_ERROR = 2000


def retry_delay(failed_attempts: int, retry_after: float | None = None) -> timedelta:
    """Exponential backoff with jitter (half to all of base·2^(n-1), capped); at least what the remote side asked."""
    ceiling = min(retry_base_seconds() * 2 ** max(failed_attempts - 1, 0), retry_max_seconds())
    wait = random.uniform(ceiling / 2, ceiling)
    return timedelta(seconds=max(wait, retry_after or 0.0))


def retry_later(reply: Reply, reason: str, *, retry_after: float | None = None) -> str:
    """Put a reply whose attempt failed for now back in the queue, or fail it after the last attempt."""
    if reply.attempts >= max_attempts():
        fail(reply.pk, f"gave up after {reply.attempts} attempts; the last one failed: {reason}")
        return ReplyStatus.FAILED
    retry_at = timezone.now() + retry_delay(reply.attempts, retry_after)
    error = f"attempt {reply.attempts} failed: {reason}; retrying at {retry_at:%H:%M} UTC"
    with transaction.atomic():
        moved = Reply.objects.filter(pk=reply.pk, status=ReplyStatus.SENDING).update(
            status=ReplyStatus.SCHEDULED, send_after=retry_at, sending_since=None, error=error[:MAX_ERROR]
        )
        if not moved:
            return Reply.objects.values_list("status", flat=True).get(pk=reply.pk)
        record(
            "reply.delivery_retry",
            actor=reply.author_id,
            channel_id=reply.conversation.channel_id,
            conversation_id=reply.conversation_id,
            data={
                "reply_id": reply.pk,
                "attempt": reply.attempts,
                "error": reason[:500],
                "retry_at": retry_at.isoformat(),
            },
        )
        transaction.on_commit(lambda: _enqueue_retry(reply.pk, retry_at))
    return "retrying"


def _enqueue_retry(reply_id: int, retry_at) -> None:
    # A backend that cannot defer would retry at once; the periodic check picks the reply up instead.
    from townsquare.replies.tasks import deliver_reply_task

    task = deliver_reply_task.using(run_after=retry_at)
    if task.get_backend().supports_defer:
        task.enqueue(reply_id)


def fail(reply_id: int, reason: str, *, from_status=ReplyStatus.SENDING, **about) -> bool:
    """Mark the reply failed with the reason, log `reply.failed` and tell the console; False if it moved on."""
    with transaction.atomic():
        failed = Reply.objects.filter(pk=reply_id, status=from_status).update(
            status=ReplyStatus.FAILED, error=reason[:MAX_ERROR], sending_since=None
        )
        if not failed:
            return False
        reply = Reply.objects.select_related("conversation").get(pk=reply_id)
        record(
            "reply.failed",
            actor=reply.author_id,
            channel_id=reply.conversation.channel_id,
            conversation_id=reply.conversation_id,
            data={"reply_id": reply_id, "error": reason[:500], "attempts": reply.attempts, **about},
        )
        transaction.on_commit(lambda: _publish_failed(reply_id))
    logger.warning("Reply %s failed: %s", reply_id, reason)
    return True


def _publish_failed(reply_id: int) -> None:
    try:
        from townsquare.realtime.publish import reply_failed
    except ImportError:
        return
    reply_failed(reply_id)


def mark_bounced(channel, original_message_id: str, reason: str) -> bool:
    """A bounce (DSN) names a reply we sent on this channel: that reply becomes failed with the reason."""
    remote_id = (original_message_id or "").strip().strip("<>").strip()
    if not remote_id:
        return False
    reply_id = (
        Reply.objects.filter(
            remote_id=remote_id, status=ReplyStatus.SENT, message__channel_id=getattr(channel, "pk", channel)
        )
        .values_list("pk", flat=True)
        .first()
    )
    if reply_id is None:
        return False
    reason = (reason or "").strip() or "the recipient's mail server returned it"
    return fail(reply_id, f"bounced: {reason}", from_status=ReplyStatus.SENT, bounced=True)


def recover_interrupted(older_than: timedelta) -> list[int]:
    """Replies SENDING for longer than `older_than` lost their worker: due again, or failed after the last attempt.

    At-least-once: the lost attempt may have reached the channel, so the next one sends the same
    idempotency key (Mastodon) and the same Message-ID (email).
    """
    cutoff = timezone.now() - older_than
    recovered = []
    stale = Reply.objects.filter(status=ReplyStatus.SENDING, sending_since__lt=cutoff)
    for reply in stale.select_related("conversation").order_by("sending_since", "id")[:500]:
        reason = f"attempt {reply.attempts} got no answer within {older_than.total_seconds():.0f} s"
        if reply.attempts >= max_attempts():
            fail(reply.pk, f"gave up after {reply.attempts} attempts; {reason}")
            continue
        with transaction.atomic():
            moved = Reply.objects.filter(pk=reply.pk, status=ReplyStatus.SENDING, sending_since__lt=cutoff)
            if not moved.update(
                status=ReplyStatus.SCHEDULED, send_after=reply.sending_since, sending_since=None
            ):
                continue
            record(
                "reply.delivery_retry",
                actor=reply.author_id,
                channel_id=reply.conversation.channel_id,
                conversation_id=reply.conversation_id,
                data={"reply_id": reply.pk, "attempt": reply.attempts, "error": reason, "interrupted": True},
            )
        recovered.append(reply.pk)
    return recovered
