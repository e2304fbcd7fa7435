"""Collision detection: who else has this conversation's reply box open, and replies sent meanwhile."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from townsquare.inbox.models import Direction, Message
from townsquare.replies.models import Reply, ReplyPresence, ReplyStatus
from townsquare.replies.permissions import require_can_work_on

# A heartbeat older than this means the person closed the page or left.
FRESH_SECONDS = 15


def heartbeat(user, conversation) -> None:
    """`user` is drafting a reply on `conversation` now (the console calls this every few seconds)."""
    require_can_work_on(user, conversation)
    ReplyPresence.objects.update_or_create(
        conversation=conversation, user=user, defaults={"last_seen": timezone.now()}
    )


def replying_now(conversation, except_user=None) -> list:
    """Other people seen drafting a reply on this conversation in the last FRESH_SECONDS."""
    since = timezone.now() - timedelta(seconds=FRESH_SECONDS)
    present = ReplyPresence.objects.filter(conversation=conversation, last_seen__gte=since)
    if except_user is not None:
        present = present.exclude(user=except_user)
    return [row.user for row in present.select_related("user").order_by("user__username")]


def replied_meanwhile(user, conversation, seen_message_id: int | None) -> list[str]:
    """Warnings about replies others sent after the newest message `user` had seen (none if unknown)."""
    if seen_message_id is None:
        return []
    seen = Message.objects.filter(pk=seen_message_id, conversation=conversation).only("received_at").first()
    if seen is None:
        return []
    newer_outbound = (
        Message.objects.filter(
            conversation=conversation, direction=Direction.OUTBOUND, pk__gt=seen_message_id
        )
        .exclude(reply__author=user)
        .count()
    )
    queued = (
        Reply.objects.filter(
            conversation=conversation, status=ReplyStatus.SCHEDULED, created_at__gt=seen.received_at
        )
        .filter(~Q(author=user))
        .count()
    )
    if newer_outbound or queued:
        return [
            "someone else replied to this conversation after you opened your draft; read it before sending"
        ]
    return []
