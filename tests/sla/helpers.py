"""Conversations with a scripted thread, and SLA policies, for the SLA tests."""

from datetime import UTC, datetime, timedelta

from townsquare.inbox.models import Conversation, Message
from townsquare.people.models import Identity
from townsquare.sla.models import SlaPolicy

MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


def converse(channel, *said, status="new", invites_reply=True, priority="normal", queue=None, subject="help"):
    """A conversation whose messages are `said`: ("in" | "out", when) pairs, written and received then."""
    first = min(moment for _, moment in said)
    last = max(moment for _, moment in said)
    conversation = Conversation.objects.create(
        channel=channel,
        status=status,
        subject=subject,
        started_at=first,
        last_activity_at=last,
        message_count=len(said),
        invites_reply=invites_reply,
        priority=priority,
        queue=queue,
    )
    for direction, moment in said:
        say(conversation, direction, moment)
    return conversation


def say(conversation, direction: str, moment: datetime, *, received_at: datetime | None = None) -> Message:
    author, _ = Identity.objects.get_or_create(
        channel=conversation.channel,
        external_id="brand" if direction == "out" else "dana",
        defaults={"handle": "brand" if direction == "out" else "dana", "is_brand": direction == "out"},
    )
    number = Message.objects.filter(conversation=conversation).count()
    return Message.objects.create(
        channel=conversation.channel,
        conversation=conversation,
        external_id=f"c{conversation.pk}-{number}",
        direction=direction,
        author=author,
        text="hello" if direction == "in" else "we are on it",
        created_at=moment,
        received_at=received_at or moment,
    )


def policy(name="Standard", **fields) -> SlaPolicy:
    values = {"first_response_minutes": 60, "next_response_minutes": 30, "resolution_minutes": 480}
    values.update(fields)
    return SlaPolicy.objects.create(name=name, **values)
