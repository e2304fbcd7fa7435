"""Conversations and messages for API tests, written straight to the tables they are read from."""

from datetime import UTC, datetime, timedelta

from townsquare.inbox.models import Conversation, Message
from townsquare.people.models import Customer, Identity

T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def make_conversation(channel, *, minutes=0, subject="", status="new", customer=None, texts=("hello",)):
    moment = T0 + timedelta(minutes=minutes)
    conversation = Conversation.objects.create(
        channel=channel,
        customer=customer,
        status=status,
        subject=subject,
        started_at=moment,
        last_activity_at=moment,
        message_count=len(texts),
        updated_at=moment,
    )
    author, _ = Identity.objects.get_or_create(
        channel=channel, external_id="u-1", defaults={"handle": "@dana", "display_name": "Dana"}
    )
    for n, text in enumerate(texts):
        Message.objects.create(
            channel=channel,
            conversation=conversation,
            external_id=f"c{conversation.pk}-m{n}",
            direction="in" if n % 2 == 0 else "out",
            author=author,
            text=text,
            created_at=moment + timedelta(seconds=n),
            received_at=moment + timedelta(seconds=n),
        )
    return conversation


def make_customer(name="Dana") -> Customer:
    return Customer.objects.create(display_name=name)


def routed_to(conversation, user):
    """Give the conversation an owner, as routing would (ambassadors see only what is routed to them)."""
    conversation.assignee = user
    conversation.save(update_fields=["assignee"])
    return conversation
