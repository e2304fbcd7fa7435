"""How often a member wants the email digest (never, daily, weekly)."""

from django.db import transaction

from townsquare.community.errors import CommunityError, NotAllowed
from townsquare.community.events import record_community
from townsquare.community.members import locked_member
from townsquare.community.models import DigestFrequency


def set_digest(user, frequency: str) -> None:
    if not (user and user.is_authenticated and user.is_active):
        raise NotAllowed("sign in to choose your email digest")
    if frequency not in DigestFrequency.values:
        raise CommunityError(f"digest must be one of {', '.join(DigestFrequency.values)}")
    with transaction.atomic():
        member = locked_member(user)
        if member.digest == frequency:
            return
        previous, member.digest = member.digest, frequency
        member.save(update_fields=["digest"])
        record_community(
            "community.digest_changed", actor=user, data={"previous": previous, "digest": frequency}
        )
