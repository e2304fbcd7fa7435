"""Helpers for the reply tests: pass the undo window and run the delivery task as a worker would."""

from datetime import timedelta

from django.utils import timezone

from townsquare.replies.models import Reply
from townsquare.replies.tasks import deliver_reply_task

PITCH = "Sorry about that! And use code SAVE20 for 20% off your next order!"
SUPPORT = "Sorry Dana, your order 48213 left our warehouse today; it arrives on Friday."


def deliver_now(reply: Reply) -> str:
    """End the undo window, then run the delivery task's function (what the worker runs)."""
    Reply.objects.filter(pk=reply.pk).update(send_after=timezone.now() - timedelta(seconds=1))
    outcome = deliver_reply_task.call(reply.pk)
    reply.refresh_from_db()
    return outcome
