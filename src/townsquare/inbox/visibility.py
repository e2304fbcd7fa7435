"""Who may see which conversations and channels. Console views and API handlers both go through here."""

from django.db.models import Exists, F, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from townsquare.care.models import AgentProfile, Queue, Team
from townsquare.inbox.models import Channel, ChannelKind, Conversation, Message
from townsquare.people.models import STAFF_CONSOLE_ROLES, Role


class Forbidden(PermissionError):
    """The user's role does not allow this; views answer 403 with the message."""


def can_use_console(user) -> bool:
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and user.role in {*STAFF_CONSOLE_ROLES, Role.AMBASSADOR}
    )


def visible_conversations(user) -> QuerySet[Conversation]:
    """Conversations this user may read; raises Forbidden for roles without console access.

    Admins see everything. Supervisors see what has no queue, queues without a team and their
    teams' queues (everything when they are in no team). Agents see what has no queue and their
    queues (their own or their team's). Ambassadors see only community conversations routed to
    them. Everyone sees what is assigned to them.

    The user's queue ids are a subquery, not a join: the list's plan stays "walk the activity
    index, test each row", and the page costs no extra round trip.

    Building the filter costs more CPU than compiling it (a page asks two or three times), so it
    is built once per user instance and role and handed out as a fresh copy (`.all()`); the
    subqueries run in the database each time, so nothing read is kept.
    """
    if not can_use_console(user):
        raise Forbidden("your role has no access to the care console")
    key = (user.pk, user.role)
    built = user.__dict__.get(_BUILT)
    if built is None or built[0] != key:
        built = (key, _visible_conversations(user))
        user.__dict__[_BUILT] = built
    return built[1].all()


_BUILT = "_visible_conversations"


def _visible_conversations(user) -> QuerySet[Conversation]:
    conversations = Conversation.objects.all()
    if user.role == Role.ADMIN:
        return conversations
    if user.role == Role.AMBASSADOR:
        return conversations.filter(channel__kind=ChannelKind.COMMUNITY, assignee_id=user.pk)
    # Compared through COALESCE so no index can serve the OR: with planner statistics, SQLite would
    # otherwise merge the queue and assignee indexes and sort every visible row (100+ ms at 200,000
    # conversations) instead of walking the activity index and stopping at a page.
    conversations = conversations.alias(
        queue_key=Coalesce(F("queue_id"), Value(0)), owner_key=Coalesce(F("assignee_id"), Value(0))
    )
    unqueued_or_mine = Q(queue_key=0) | Q(owner_key=user.pk)
    if user.role == Role.SUPERVISOR:
        teams = Team.members.through.objects.filter(user_id=user.pk).values("team_id")
        team_queues = Queue.objects.filter(Q(team__isnull=True) | Q(team_id__in=teams)).values("pk")
        return conversations.filter(unqueued_or_mine | Q(queue_key__in=team_queues) | ~Exists(teams))
    own_queues = AgentProfile.queues.through.objects.filter(agentprofile__user_id=user.pk).values("queue_id")
    team_queues = Queue.objects.filter(team__members=user.pk).values("pk")
    return conversations.filter(unqueued_or_mine | Q(queue_key__in=own_queues) | Q(queue_key__in=team_queues))


def visible_messages(user) -> QuerySet[Message]:
    return Message.objects.filter(conversation__in=visible_conversations(user))


def visible_channels(user) -> QuerySet[Channel]:
    """Channels whose names, counters and customer identities this user may see.

    Same rule as conversations: staff see every channel, ambassadors the community ones only,
    so an ambassador never learns an email channel's addresses.
    """
    channels = Channel.objects.all()
    if not sees_every_channel(user):
        channels = channels.filter(kind=ChannelKind.COMMUNITY)
    return channels


def sees_every_channel(user) -> bool:
    """True when visible_channels(user) is every channel; raises Forbidden like it."""
    if not can_use_console(user):
        raise Forbidden("your role has no access to the care console")
    return user.role != Role.AMBASSADOR
