"""Who may see which conversations and channels. Console views and API handlers both go through here."""

from django.db.models import QuerySet

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
    """Conversations this user may read; raises Forbidden for roles without console access."""
    if not can_use_console(user):
        raise Forbidden("your role has no access to the care console")
    conversations = Conversation.objects.all()
    if user.role == Role.AMBASSADOR:
        # Ambassadors help in the community only; the care issue narrows this to what is routed to them.
        conversations = conversations.filter(channel__kind=ChannelKind.COMMUNITY)
    return conversations


def visible_messages(user) -> QuerySet[Message]:
    return Message.objects.filter(conversation__in=visible_conversations(user))


def visible_channels(user) -> QuerySet[Channel]:
    """Channels whose names, counters and customer identities this user may see.

    Same rule as conversations: staff see every channel, ambassadors the community ones only,
    so an ambassador never learns an email channel's addresses.
    """
    if not can_use_console(user):
        raise Forbidden("your role has no access to the care console")
    channels = Channel.objects.all()
    if user.role == Role.AMBASSADOR:
        channels = channels.filter(kind=ChannelKind.COMMUNITY)
    return channels
