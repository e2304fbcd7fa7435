"""A user's community profile, created on first use."""

from townsquare.community.models import Member


def member_of(user) -> Member:
    """The Member row for `user` (created with the user's name the first time)."""
    member = getattr(user, "_community_member", None)
    if member is not None:
        return member
    member, _ = Member.objects.get_or_create(user=user, defaults={"display_name": user.get_full_name()})
    user._community_member = member
    return member


def locked_member(user) -> Member:
    """The member row locked for update: counters and reputation change without lost updates."""
    member_of(user)
    member = Member.objects.select_for_update().get(user=user)
    user._community_member = member
    return member
