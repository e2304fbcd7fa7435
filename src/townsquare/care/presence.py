"""Presence: online agents get work, away agents keep theirs but get nothing new, and going
offline hands their open conversations to someone else."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from townsquare.care.claims import (
    ASSIGNABLE_ROLES,
    LOAD_STATUSES,
    Target,
    profile_of,
    release,
)
from townsquare.care.models import AgentProfile, Presence
from townsquare.care.routing import after_release, offer_waiting_to
from townsquare.events.log import record
from townsquare.inbox.models import Conversation
from townsquare.inbox.visibility import Forbidden

OFFLINE_REASON = "agent offline"
# The default actor: the person changing their own presence.
THEMSELVES = object()


def set_presence(user, presence: str, *, actor=THEMSELVES) -> AgentProfile:
    """Set `user`'s presence (by themselves; `actor=None` for the stale sweep); returns the profile.

    Offline releases their new/open conversations (`conversation.unassigned`, reason "agent
    offline") and routes them again (`conversation.assigned` via "reassign"); online routes the
    work waiting in their queues.
    """
    if presence not in Presence.values:
        raise ValueError(f"presence must be one of {', '.join(Presence.values)}")
    if user.role not in ASSIGNABLE_ROLES:
        raise Forbidden("your role does not take conversations, so it has no presence")
    actor = user if actor is THEMSELVES else actor
    now = timezone.now()
    with transaction.atomic():
        profile = profile_of(user, lock=True)
        previous = profile.presence
        last_seen = profile.last_seen_at
        profile.presence = presence
        profile.last_seen_at = now
        if previous != presence:
            profile.presence_changed_at = now
        profile.save(update_fields=["presence", "presence_changed_at", "last_seen_at"])
        if previous != presence:
            data = {"user_id": user.pk, "from": previous, "to": presence}
            if actor is None and last_seen is not None:
                # The stale sweep: they left when last seen, not now (insights end their shift there).
                data["last_seen_at"] = last_seen.isoformat()
            record("agent.presence_changed", actor=actor, data=data)
    if previous != presence and presence == Presence.OFFLINE:
        reassign_all_of(user, actor=actor)
    elif previous != presence and presence == Presence.ONLINE:
        offer_waiting_to(user.pk)
    return profile


def reassign_all_of(user, *, actor) -> list[int]:
    """Release the user's new/open conversations and route them to others; returns their ids."""
    held = Conversation.objects.filter(assignee_id=user.pk, status__in=LOAD_STATUSES).values_list(
        "pk", "channel_id", "channel__kind", "queue_id", "status"
    )
    released = []
    for pk, channel_id, kind, queue_id, status in held:
        target = Target(pk, channel_id, kind, queue_id, user.pk, status)
        if release(target, actor=actor, reason=OFFLINE_REASON):
            released.append(pk)
    if released:
        after_release(released, user.pk, via="reassign")
    return released


def seen(user) -> None:
    """The console's heartbeat: the person is still there."""
    AgentProfile.objects.filter(user_id=user.pk).update(last_seen_at=timezone.now())


def sweep_stale(minutes: float) -> list[str]:
    """Set offline everyone online or away who has not been seen for `minutes`; returns usernames."""
    if minutes <= 0:
        raise ValueError("minutes must be positive")
    cutoff = timezone.now() - timedelta(minutes=minutes)
    stale = (
        AgentProfile.objects.exclude(presence=Presence.OFFLINE)
        .filter(Q(last_seen_at__lt=cutoff) | Q(last_seen_at__isnull=True, presence_changed_at__lt=cutoff))
        .select_related("user")
    )
    swept = []
    for profile in stale:
        set_presence(profile.user, Presence.OFFLINE, actor=None)
        swept.append(profile.user.username)
    return swept
