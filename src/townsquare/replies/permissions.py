"""Who may work on a conversation (reply, note, change its status): checked in the services."""

from townsquare.inbox.visibility import Forbidden, visible_conversations
from townsquare.people.models import Role

SUPERVISING_ROLES = {Role.SUPERVISOR, Role.ADMIN}


def require_can_work_on(user, conversation, *, seen: bool = False) -> None:
    """Raise Forbidden unless the user sees the conversation and, as an ambassador, owns it.

    `seen`: the caller fetched this conversation through visible_conversations(user) in this
    request, so that check needs no query again."""
    if not seen and not visible_conversations(user).filter(pk=conversation.pk).exists():
        raise Forbidden(f"you cannot see conversation {conversation.pk}")
    if user.role == Role.AMBASSADOR and conversation.assignee_id != user.pk:
        raise Forbidden("ambassadors work only on conversations assigned to them")


def is_supervising(user) -> bool:
    return bool(user and user.is_authenticated and user.role in SUPERVISING_ROLES)
