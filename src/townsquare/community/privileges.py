"""What each trust level may do in the community, and who counts as staff there.

Levels follow Discourse's ladder: 0 new, 1 basic, 2 member, 3 regular, 4 leader. Staff roles
(admin, supervisor, moderator) hold every privilege; agents post as the brand with the basics.
"""

from django.utils import timezone

from townsquare.community.errors import NotAllowed
from townsquare.people.models import Role

TRUST_LEVEL_NAMES = {0: "new", 1: "basic", 2: "member", 3: "regular", 4: "leader"}

# privilege -> (minimum trust level, what the member is told it allows)
PRIVILEGES = {
    "ask": (0, "ask questions and start discussions"),
    "answer": (0, "answer and comment"),
    "helpful": (0, "mark answers helpful"),
    "vote_up": (1, "upvote"),
    "post_links": (1, "post links"),
    "flag": (1, "flag posts for moderators"),
    "vote_guidelines": (1, "vote on proposed community guidelines"),
    "vote_down": (2, "downvote"),
    "propose_guidelines": (2, "propose community guidelines"),
    "edit_wiki": (3, "edit wiki answers and make answers wiki"),
    "moderate": (4, "hide and restore posts, close topics and handle flags"),
}
MODERATOR_ROLES = {Role.ADMIN, Role.SUPERVISOR, Role.MODERATOR}
# Roles that speak for the brand: their posts pass the reply guard.
BRAND_ROLES = {Role.ADMIN, Role.SUPERVISOR, Role.AGENT, Role.MODERATOR}
STAFF_PRIVILEGES = {"ask", "answer", "helpful", "vote_up", "post_links", "flag", "vote_down"}


def is_moderator(user) -> bool:
    return bool(user and user.is_authenticated and user.role in MODERATOR_ROLES)


def is_brand(user) -> bool:
    return bool(user and user.is_authenticated and user.role in BRAND_ROLES)


def is_suspended(user) -> bool:
    from townsquare.community.members import member_of

    until = member_of(user).suspended_until
    return until is not None and until > timezone.now()


def can(user, privilege: str) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.role in MODERATOR_ROLES:
        return True
    if is_suspended(user):
        return False
    if user.role == Role.AGENT and privilege in STAFF_PRIVILEGES:
        return True
    from townsquare.community.members import member_of

    level, _ = PRIVILEGES[privilege]
    return member_of(user).trust_level >= level


def require(user, privilege: str) -> None:
    """Raise NotAllowed with the reason a member can act on, unless `user` has `privilege`."""
    if can(user, privilege):
        return
    if not (user and user.is_authenticated):
        raise NotAllowed("sign in to take part in the community")
    if not user.is_active:
        raise NotAllowed("this account is deactivated")
    from townsquare.community.members import member_of

    member = member_of(user)
    if is_suspended(user):
        raise NotAllowed(f"your account is suspended until {member.suspended_until:%Y-%m-%d %H:%M} UTC")
    level, allows = PRIVILEGES[privilege]
    raise NotAllowed(f"you need trust level {level} ({TRUST_LEVEL_NAMES[level]}) to {allows}")
