"""What a reply's delivery needs to know: the message it answers, its channel and the customer."""

from dataclasses import dataclass

from townsquare.connectors.base import Outgoing, PermanentError
from townsquare.inbox.models import Channel, Direction, Message
from townsquare.replies.models import Reply


@dataclass
class Planned:
    """A reply ready to hand to a connector: through `channel`, answering `parent`."""

    channel: Channel
    parent: Message
    outgoing: Outgoing


def idempotency_key(reply_id: int) -> str:
    """Stable per reply, so a retried delivery is recognised (Mastodon Idempotency-Key, email Message-ID)."""
    return f"townsquare-reply-{reply_id}"


def answered_message(reply: Reply) -> Message | None:
    """The newest customer message of the conversation, or the newest message when there is none."""
    messages = Message.objects.filter(conversation_id=reply.conversation_id).select_related(
        "channel", "author"
    )
    # "in" sorts before "out": the newest inbound message first.
    return messages.order_by("direction", "-created_at", "-id").first()


def plan_delivery(reply: Reply) -> Planned:
    """The reply goes out where the customer last wrote (a conversation may span channels)."""
    parent = answered_message(reply)
    if parent is None:
        raise PermanentError("the conversation has no message to answer")
    if not parent.channel.is_active:
        # An admin switches a channel off to stop it (revoked account, leaked credentials): nothing
        # leaves through it. The reply fails with what to do, and a retry sends it once it is on.
        raise PermanentError(
            f"channel {parent.channel.name!r} is switched off; an admin can switch it on, then retry this reply"
        )
    author = parent.author if parent.direction == Direction.INBOUND else None
    outgoing = Outgoing(
        reply_id=reply.pk,
        conversation_id=reply.conversation_id,
        text=reply.text,
        parent_message_id=parent.pk,
        parent_external_id=parent.external_id,
        parent_raw=parent.raw if isinstance(parent.raw, dict) else {},
        recipient_external_id=author.external_id if author else "",
        recipient_handle=author.handle if author else "",
        recipient_email=author.email if author else "",
        author_name=reply.author.first_name or reply.author.username,
        idempotency_key=idempotency_key(reply.pk),
    )
    return Planned(channel=parent.channel, parent=parent, outgoing=outgoing)
