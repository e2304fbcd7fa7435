"""Retrying a failed reply by hand, from the conversation page or `POST /api/v1/replies/{id}/retry`."""

from django.db import transaction
from django.utils import timezone

from townsquare.events.log import record
from townsquare.inbox.models import ConversationStatus
from townsquare.inbox.visibility import Forbidden
from townsquare.people.models import Role
from townsquare.replies.models import Reply, ReplyStatus
from townsquare.replies.permissions import require_can_work_on
from townsquare.replies.send import ConversationClosed


class NotRetryable(ValueError):
    """Only a failed reply can be retried (API 409)."""


def retry_reply(user, reply: Reply) -> Reply:
    """Put a failed reply back in the queue for delivery now.

    Staff who may work on the conversation may retry any of its replies; an ambassador only their own.
    """
    require_can_work_on(user, reply.conversation)
    if user.role == Role.AMBASSADOR and reply.author_id != user.pk:
        raise Forbidden("ambassadors may retry only their own replies")
    if reply.conversation.status == ConversationStatus.CLOSED:
        raise ConversationClosed(f"conversation {reply.conversation_id} is closed; it takes no more replies")
    with transaction.atomic():
        previous = Reply.objects.select_for_update().filter(pk=reply.pk).values("status", "error", "attempts")
        previous = previous.first() or {}
        # Conditional update: two people pressing Retry at once queue one delivery.
        retried = Reply.objects.filter(pk=reply.pk, status=ReplyStatus.FAILED).update(
            status=ReplyStatus.SCHEDULED, send_after=timezone.now(), attempts=0, error="", sending_since=None
        )
        if not retried:
            status = previous.get("status", "gone")
            raise NotRetryable(f"reply {reply.pk} is {status}; only a failed reply can be retried")
        record(
            "reply.retried",
            actor=user,
            channel_id=reply.conversation.channel_id,
            conversation_id=reply.conversation_id,
            data={
                "reply_id": reply.pk,
                "previous_error": previous["error"][:500],
                "previous_attempts": previous["attempts"],
            },
        )
        transaction.on_commit(lambda: _enqueue(reply.pk))
    reply.refresh_from_db()
    return reply


def _enqueue(reply_id: int) -> None:
    from townsquare.replies.tasks import deliver_reply_task

    deliver_reply_task.enqueue(reply_id)
