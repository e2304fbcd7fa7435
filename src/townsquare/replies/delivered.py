"""After the channel accepted a reply: store it as the outbound message and mark the reply sent.

One transaction: the message (through the ingest service, so threading, counters and events are the
same as for an imported brand reply), the reply's status, `message.sent` and the SLA clocks.
"""

from django.db import transaction
from django.utils import timezone

from townsquare.connectors.base import Sent
from townsquare.events.log import record
from townsquare.inbox.ingest.normalized import InboundMessage
from townsquare.inbox.ingest.store import store_messages
from townsquare.inbox.models import Conversation, ConversationStatus, Direction
from townsquare.people.models import Identity
from townsquare.replies.models import Reply, ReplyStatus
from townsquare.replies.outgoing import Planned
from townsquare.replies.status import change_status
from townsquare.sla.clocks import on_outbound_reply

# The brand's author id on a channel that has no brand identity yet (ingest creates it, is_brand=True).
DEFAULT_BRAND_AUTHOR = "townsquare-brand"
# InboundMessage.conversation_id (a hint to join a conversation of another channel) when ingest has it.
HAS_CONVERSATION_HINT = "conversation_id" in getattr(InboundMessage, "__dataclass_fields__", {})


def store_delivered(reply: Reply, planned: Planned, sent: Sent) -> int | None:
    """Store the delivered reply and mark it sent; returns the message id (None if the attempt was declared lost)."""
    now = timezone.now()
    with transaction.atomic():
        marked = Reply.objects.filter(pk=reply.pk, status=ReplyStatus.SENDING).update(
            status=ReplyStatus.SENT,
            sent_at=now,
            remote_id=sent.external_id[:255],
            sending_since=None,
            error="",
        )
        if not marked:
            # The periodic check declared this attempt lost and handed the reply on: nothing to store.
            return None
        message_id = _store_message(reply, planned, sent, now)
        Reply.objects.filter(pk=reply.pk).update(message_id=message_id)
        conversation = reply.conversation
        record(
            "message.sent",
            actor=reply.author,
            channel_id=planned.channel.pk,
            conversation_id=conversation.pk,
            message_id=message_id,
            data={"message_id": message_id, "reply_id": reply.pk},
        )
        _after_brand_spoke(conversation, now)
        transaction.on_commit(lambda: _publish_stored(message_id))
    return message_id


def _store_message(reply: Reply, planned: Planned, sent: Sent, now) -> int:
    outbound = InboundMessage(
        external_id=sent.external_id,
        author_id=_brand_author(planned.channel.pk),
        text=reply.text,
        created_at=now,
        direction=Direction.OUTBOUND,
        parent_external_id=planned.parent.external_id,
        raw={**sent.raw, "reply_id": reply.pk, "author": reply.author.username},
    )
    if HAS_CONVERSATION_HINT:
        outbound.conversation_id = reply.conversation_id
    result = store_messages(planned.channel, [outbound], source="reply")
    # A message already stored under this id (a retry after a lost answer) is the same reply.
    return result.outcomes[0][2]


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


def _publish_stored(message_id: int) -> None:
    try:
        from townsquare.realtime.publish import message_stored
    except ImportError:
        return
    message_stored(message_id)
