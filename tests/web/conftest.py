"""Conversations for console tests, built straight with the ORM (ingest is tested elsewhere)."""

from datetime import UTC, datetime, timedelta
from itertools import count

import pytest

from townsquare.inbox.models import Channel, ChannelKind, Conversation, ConversationStatus, Direction, Message
from townsquare.people.models import Customer, Identity

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
_ids = count(1)


def identity(
    channel: Channel, handle: str, customer: Customer | None = None, is_brand: bool = False
) -> Identity:
    return Identity.objects.get_or_create(
        channel=channel,
        external_id=f"id-{handle}",
        defaults={"handle": handle, "customer": customer, "is_brand": is_brand},
    )[0]


def conversation(
    channel: Channel,
    messages: list[tuple[str, str]],
    *,
    customer: Customer | None = None,
    handle: str = "dana",
    status: str = ConversationStatus.NEW,
    subject: str = "",
    start: datetime = T0,
) -> Conversation:
    """A conversation whose messages are (direction, text) pairs, one minute apart from `start`."""
    author = identity(channel, handle, customer)
    brand = identity(channel, "acme_support", is_brand=True)
    last = start + timedelta(minutes=len(messages) - 1)
    conv = Conversation.objects.create(
        channel=channel,
        customer=customer,
        status=status,
        subject=subject,
        started_at=start,
        last_activity_at=last,
        message_count=len(messages),
    )
    for i, (direction, text) in enumerate(messages):
        Message.objects.create(
            channel=channel,
            conversation=conv,
            external_id=f"m{next(_ids)}",
            direction=direction,
            author=author if direction == Direction.INBOUND else brand,
            text=text,
            created_at=start + timedelta(minutes=i),
            received_at=start + timedelta(minutes=i, seconds=5),
        )
    return conv


@pytest.fixture
def community(db):
    """The brand's community forum: the only channel ambassadors see."""
    return Channel.objects.create(name="community", kind=ChannelKind.COMMUNITY)


@pytest.fixture
def dana(db, twitter):
    """Dana, a customer who writes on Twitter."""
    customer = Customer.objects.create(display_name="Dana Ortiz")
    identity(twitter, "dana_o", customer)
    return customer
