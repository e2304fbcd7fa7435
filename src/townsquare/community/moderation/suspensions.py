"""Suspending a member until a time, and lifting it early.

A suspension sets `Member.suspended_until`; `privileges` refuses posting, voting and flagging
while that time is in the future, so expiry needs no job: the check is by time. A new suspension
replaces the member's current one (the older row is marked lifted). Staff accounts are managed by
an admin in the console, not suspended from the community.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from townsquare.community import privileges
from townsquare.community.errors import CommunityError, Conflict, NotAllowed
from townsquare.community.members import locked_member
from townsquare.community.models import ModerationActionKind, Suspension
from townsquare.community.moderation.access import require_staff_moderator
from townsquare.community.moderation.citing import clean_reason, find_guideline
from townsquare.community.moderation.record import because, notify, record_action
from townsquare.community.moderation.targets import Missing
from townsquare.people.models import User

LONGEST = timedelta(days=3650)


def active(user_id: int):
    """The member's suspensions still in force (not lifted, not expired)."""
    return Suspension.objects.filter(user_id=user_id, lifted_at__isnull=True, until__gt=timezone.now())


def suspend(
    moderator,
    user_id: int,
    *,
    until: datetime | None = None,
    days: int | None = None,
    reason: str,
    guideline_id: int | None = None,
    rule: int | None = None,
) -> Suspension:
    require_staff_moderator(moderator, "suspend members")
    reason = clean_reason(reason)
    guideline = find_guideline(guideline_id=guideline_id, number=rule)
    until = _until(until, days)
    member_user = User.objects.filter(pk=user_id).first()
    if member_user is None:
        raise Missing(f"user {user_id} does not exist")
    if member_user.pk == moderator.pk:
        raise CommunityError("you cannot suspend yourself")
    if privileges.is_brand(member_user):
        raise NotAllowed("staff accounts cannot be suspended from the community; an admin manages them")
    with transaction.atomic():
        member = locked_member(member_user)
        replaced = list(active(member_user.pk).values_list("pk", flat=True))
        now = timezone.now()
        Suspension.objects.filter(pk__in=replaced).update(lifted_at=now)
        suspension = Suspension.objects.create(
            user=member_user, until=until, reason=reason, guideline=guideline, suspended_by=moderator
        )
        member.suspended_until = until
        member.save(update_fields=["suspended_until"])
        record_action(
            moderator,
            ModerationActionKind.SUSPEND,
            reason=reason,
            guideline=guideline,
            target_user=member_user,
            data={"suspension": suspension.pk, "until": until.isoformat(), "replaced": replaced},
        )
        notify(
            member_user,
            f"Your community account is suspended until {until:%Y-%m-%d %H:%M} UTC: {because(reason, guideline)}",
            actor=moderator,
        )
    return suspension


def _until(until: datetime | None, days: int | None) -> datetime:
    now = timezone.now()
    if (until is None) == (days is None):
        raise CommunityError("give either until (a time) or days")
    if days is not None:
        if not isinstance(days, int) or days < 1:
            raise CommunityError("days must be a whole number of at least 1")
        until = now + timedelta(days=days)
    if timezone.is_naive(until):
        raise CommunityError("until needs a time zone (e.g. 2026-12-01T12:00:00Z)")
    if until <= now:
        raise CommunityError("until must be in the future")
    if until - now > LONGEST:
        raise CommunityError("a suspension may last at most 10 years")
    return until


def lift(moderator, suspension_id: int, *, reason: str) -> Suspension:
    """End a suspension early (an expired or already lifted one answers Conflict)."""
    require_staff_moderator(moderator, "lift suspensions")
    reason = clean_reason(reason)
    with transaction.atomic():
        suspension = Suspension.objects.select_for_update().filter(pk=suspension_id).first()
        if suspension is None:
            raise Missing(f"suspension {suspension_id} does not exist")
        if suspension.lifted_at is not None:
            raise Conflict(f"suspension {suspension_id} was already lifted")
        now = timezone.now()
        if suspension.until <= now:
            raise Conflict(f"suspension {suspension_id} has already expired")
        member = locked_member(suspension.user)
        suspension.lifted_at = now
        suspension.save(update_fields=["lifted_at"])
        member.suspended_until = None
        member.save(update_fields=["suspended_until"])
        record_action(
            moderator,
            ModerationActionKind.UNSUSPEND,
            reason=reason,
            target_user=suspension.user,
            data={"suspension": suspension.pk, "until": suspension.until.isoformat()},
        )
        notify(
            suspension.user,
            f"Your community suspension was lifted early: {reason}",
            actor=moderator,
        )
    return suspension
