"""Slow mode: how long a member waits between two posts in a space (posting enforces it)."""

from django.db import transaction

from townsquare.community.errors import CommunityError, Conflict
from townsquare.community.models import ModerationActionKind, Space
from townsquare.community.moderation.access import require_staff_moderator
from townsquare.community.moderation.citing import clean_reason, find_guideline
from townsquare.community.moderation.record import record_action
from townsquare.community.moderation.targets import Missing

LONGEST_SECONDS = 86_400


def set_slow_mode(
    moderator,
    space_id: int,
    seconds: int,
    *,
    reason: str,
    guideline_id: int | None = None,
    rule: int | None = None,
) -> Space:
    """Set `seconds` between posts in the space (0 turns slow mode off)."""
    require_staff_moderator(moderator, "set slow mode")
    if isinstance(seconds, bool) or not isinstance(seconds, int) or not 0 <= seconds <= LONGEST_SECONDS:
        raise CommunityError(f"seconds must be a whole number from 0 to {LONGEST_SECONDS}")
    reason = clean_reason(reason)
    guideline = find_guideline(guideline_id=guideline_id, number=rule)
    with transaction.atomic():
        space = Space.objects.select_for_update().filter(pk=space_id).first()
        if space is None:
            raise Missing(f"space {space_id} does not exist")
        previous = space.slow_mode_seconds
        if previous == seconds:
            raise Conflict(f"slow mode in {space.name} is already {seconds} s")
        space.slow_mode_seconds = seconds
        space.save(update_fields=["slow_mode_seconds"])
        record_action(
            moderator,
            ModerationActionKind.SLOW_MODE,
            reason=reason,
            guideline=guideline,
            space=space,
            data={"seconds": seconds, "previous_seconds": previous},
        )
    return space
