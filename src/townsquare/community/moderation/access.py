"""Who may moderate.

Post-level moderation (hide, restore, edit, approve, reject, close, dismiss flags) is open to the
moderator roles and to trust level 4 ("leader") members, as in Discourse. Suspending people and
setting a space's slow mode change what others may do everywhere, so they stay with the moderator
roles (moderator, supervisor, admin).
"""

from townsquare.community import privileges
from townsquare.community.errors import NotAllowed


def may_moderate(user) -> bool:
    return privileges.can(user, "moderate")


def require_moderator(user) -> None:
    """Raise NotAllowed unless `user` may act on posts and topics (moderator role or trust level 4)."""
    if not (user and user.is_authenticated):
        raise NotAllowed("sign in to moderate")
    if not may_moderate(user):
        raise NotAllowed("only moderators and trust level 4 (leader) members may moderate")


def require_staff_moderator(user, what: str) -> None:
    """Raise NotAllowed unless `user` holds a moderator role (trust level 4 is not enough)."""
    if not privileges.is_moderator(user):
        raise NotAllowed(f"only moderators, supervisors and admins may {what}")
