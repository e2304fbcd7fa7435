"""Building blocks for the routing tests: conversations with triage roll-ups, agents on duty, queues."""

from datetime import UTC, datetime, timedelta
from itertools import count

from townsquare.care.models import AgentProfile, Presence, Queue, Team
from townsquare.events.models import Event
from townsquare.inbox.models import Conversation, ConversationStatus

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
_minutes = count()


def conv(
    channel, *, language="en", kind="question", priority="normal", status=ConversationStatus.NEW, **fields
):
    """A conversation whose triage roll-up is already there; each one a minute younger than the last."""
    started = T0 + timedelta(minutes=next(_minutes))
    return Conversation.objects.create(
        channel=channel,
        status=status,
        language=language,
        kind=kind,
        priority=priority,
        started_at=started,
        last_activity_at=started,
        message_count=1,
        **fields,
    )


def on_duty(user, *, capacity=5, skills=(), queues=(), presence=Presence.ONLINE) -> AgentProfile:
    profile, _ = AgentProfile.objects.get_or_create(user=user)
    profile.presence = presence
    profile.capacity = capacity
    profile.skills = list(skills)
    profile.save()
    profile.queues.set(queues)
    return profile


def queue(name, *, position=100, team=None, mode="least_loaded", rules=None, skills=()) -> Queue:
    return Queue.objects.create(
        name=name,
        position=position,
        team=team,
        routing_mode=mode,
        rules=rules or {},
        required_skills=list(skills),
    )


def team(name, *members) -> Team:
    made = Team.objects.create(name=name)
    made.members.set(members)
    return made


def owner(conversation):
    conversation.refresh_from_db()
    return conversation.assignee


def events(kind, conversation=None):
    found = Event.objects.filter(kind=kind)
    if conversation is not None:
        found = found.filter(conversation_id=conversation.pk)
    return list(found.order_by("id"))
