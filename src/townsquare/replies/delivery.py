"""Delivering a scheduled reply once its undo window has passed.

Until channel connectors exist, every channel's reply is stored as an outbound message through
the ingest service (direction "out", written by the channel's brand identity, answering the newest
customer message), so threading, counters and events are the same as for an imported brand reply.
A reply that cannot be delivered is marked failed with the reason, shown on the conversation.
"""

import logging

from django.db import transaction
from django.utils import timezone

from townsquare.events.log import record
from townsquare.inbox.ingest.normalized import InboundMessage
from townsquare.inbox.ingest.store import store_messages
from townsquare.inbox.models import Conversation, ConversationStatus, Direction, Message
from townsquare.people.models import Identity
from townsquare.replies.models import Reply, ReplyStatus
from townsquare.replies.status import change_status
from townsquare.sla.clocks import on_outbound_reply

logger = logging.getLogger(__name__)
# The brand's author id on a channel that has no brand identity yet (ingest creates it, is_brand=True).
DEFAULT_BRAND_AUTHOR = "townsquare-brand"


class DeliveryFailed(RuntimeError):
    """The reply could not be delivered; the reason is stored on the reply."""


def deliver_reply(reply_id: int) -> str:
    """Deliver the reply if it is scheduled and due; returns what became of it."""
    try:
        with transaction.atomic():
            # Conditional claim: an undo, a second worker or deliver_due_replies cannot also take it.
            now = timezone.now()
            claimed = Reply.objects.filter(
                pk=reply_id, status=ReplyStatus.SCHEDULED, send_after__lte=now
            ).update(status=ReplyStatus.SENT, sent_at=now)
            if not claimed:
                return _why_not_delivered(reply_id)
            reply = Reply.objects.select_related("conversation__channel", "author").get(pk=reply_id)
            _store_outbound(reply, now)
    except Exception as exc:
        logger.exception("Delivering reply %s failed", reply_id)
        _mark_failed(reply_id, exc)
        return ReplyStatus.FAILED
    return ReplyStatus.SENT


def _why_not_delivered(reply_id: int) -> str:
    reply = Reply.objects.filter(pk=reply_id).only("status").first()
    if reply is None:
        return "missing"
    if reply.status == ReplyStatus.SCHEDULED:
        return "not due"
    return reply.status


def _store_outbound(reply: Reply, now) -> None:
    conversation = reply.conversation
    parent = (
        Message.objects.filter(conversation=conversation)
        .order_by("direction", "-created_at", "-id")  # "in" sorts before "out": the newest inbound first
        .only("external_id")
        .first()
    )
    if parent is None:
        raise DeliveryFailed("the conversation has no message to answer")
    outbound = InboundMessage(
        external_id=f"townsquare-reply-{reply.pk}",
        author_id=_brand_author(conversation.channel_id),
        text=reply.text,
        created_at=now,
        direction=Direction.OUTBOUND,
        parent_external_id=parent.external_id,
        raw={"reply_id": reply.pk, "author": reply.author.username},
    )
    result = store_messages(conversation.channel, [outbound], source="reply")
    message_id = result.outcomes[0][2]
    stored = Message.objects.only("conversation_id").get(pk=message_id)
    if stored.conversation_id != conversation.pk:
        raise DeliveryFailed("the reply was threaded into another conversation")
    Reply.objects.filter(pk=reply.pk).update(message_id=message_id)
    record(
        "message.sent",
        actor=reply.author,
        channel_id=conversation.channel_id,
        conversation_id=conversation.pk,
        message_id=message_id,
        data={"message_id": message_id, "reply_id": reply.pk},
    )
    _after_brand_spoke(conversation, now)


def _brand_author(channel_id: int) -> str:
    brand = (
        Identity.objects.filter(channel_id=channel_id, is_brand=True)
        .order_by("id")
        .values_list("external_id", flat=True)
        .first()
    )
    return brand or DEFAULT_BRAND_AUTHOR


def _after_brand_spoke(conversation: Conversation, now) -> None:
    first_response = Conversation.objects.filter(pk=conversation.pk, first_response_at__isnull=True)
    first_response.update(first_response_at=now)
    Conversation.objects.filter(pk=conversation.pk).update(waiting_since=None, updated_at=now)
    conversation.refresh_from_db()
    # The first- or next-response clock stops.
    on_outbound_reply(conversation, now=now)
    if conversation.status == ConversationStatus.NEW:
        change_status(None, conversation, ConversationStatus.OPEN, reason="first reply sent")


def _mark_failed(reply_id: int, exc: Exception) -> None:
    reason = str(exc) if isinstance(exc, DeliveryFailed) else f"{type(exc).__name__}: {exc}"
    with transaction.atomic():
        Reply.objects.filter(pk=reply_id).update(status=ReplyStatus.FAILED, error=reason[:2000])
        reply = Reply.objects.filter(pk=reply_id).select_related("conversation").first()
        if reply is not None:
            record(
                "reply.failed",
                actor=reply.author_id,
                channel_id=reply.conversation.channel_id,
                conversation_id=reply.conversation_id,
                data={"reply_id": reply_id, "error": reason[:500]},
            )
