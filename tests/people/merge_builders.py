"""Dana writes by live chat and by email: channels, identities, customers and conversations for merge tests."""

from datetime import UTC, datetime, timedelta
from itertools import count

from townsquare.inbox.models import Channel, ChannelKind, Conversation, Message
from townsquare.people.models import Customer, Identity

T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
_ids = count(1)


def channel(name: str, kind: str) -> Channel:
    return Channel.objects.get_or_create(name=name, defaults={"kind": kind})[0]


def chat_channel() -> Channel:
    return channel("site-chat", ChannelKind.LIVECHAT)


def email_channel() -> Channel:
    return channel("support-mail", ChannelKind.EMAIL)


def person(channel: Channel, external_id: str, *, name: str = "Dana", created_minutes: int = 0):
    """A customer and their identity on the channel (the customer as new as `created_minutes` says)."""
    customer = Customer.objects.create(display_name=name)
    Customer.objects.filter(pk=customer.pk).update(created_at=T0 + timedelta(minutes=created_minutes))
    customer.refresh_from_db()
    identity = Identity.objects.create(
        channel=channel, external_id=external_id, handle=external_id, display_name=name, customer=customer
    )
    return customer, identity


def conversation_by(identity: Identity, *, texts=("hello",), subject="", brand_first=False) -> Conversation:
    """A conversation on the identity's channel whose inbound messages the identity wrote."""
    moment = T0 + timedelta(minutes=next(_ids))
    conversation = Conversation.objects.create(
        channel=identity.channel,
        customer=identity.customer,
        subject=subject,
        started_at=moment,
        last_activity_at=moment,
        message_count=len(texts),
        updated_at=moment,
    )
    for n, text in enumerate(texts):
        write(conversation, identity, text, seconds=n)
    return conversation


def write(conversation, identity, text, *, seconds=0, direction="in", channel=None) -> Message:
    """One message in the conversation, possibly on another channel than the conversation's."""
    moment = conversation.started_at + timedelta(seconds=seconds)
    channel = channel or identity.channel
    return Message.objects.create(
        channel=channel,
        conversation=conversation,
        external_id=f"m{next(_ids)}",
        direction=direction,
        author=identity,
        text=text,
        created_at=moment,
        received_at=moment,
    )
