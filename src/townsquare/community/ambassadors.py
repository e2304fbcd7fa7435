"""The ambassador program: levels by criteria, staff invitations, the member's answer, removal,
and the leaderboard of peer resolutions and speed.

Numbers come from the event log: a peer resolution is a `community.answer_accepted` with
`peer: true` that was not unaccepted later, and its speed is the event's `answered_after_seconds`
(from the question to the answer). A member who accepts an invitation becomes an ambassador; a
customer's role becomes AMBASSADOR, which opens the care console's ambassador view (community
conversations routed to them, personal data masked).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

from django.db import transaction
from django.utils import timezone

from townsquare.community import reputation
from townsquare.community.errors import CommunityError, Conflict, NotAllowed
from townsquare.community.events import record_community
from townsquare.community.members import locked_member
from townsquare.community.models import AmbassadorInvite, InviteStatus, Member, Notification
from townsquare.people.models import STAFF_CONSOLE_ROLES, Role

MANAGER_ROLES = {Role.ADMIN, Role.SUPERVISOR}
INVITABLE_ROLES = {Role.CUSTOMER, Role.AMBASSADOR}
MESSAGE_LIMIT = 1000
PERIODS = {"30d": timedelta(days=30), "all": None}


@dataclass(frozen=True)
class Criteria:
    peer_resolutions: int
    accepted_answers: int
    median_hours: float  # median time from question to accepted peer answer, at most
    trust_level: int


LEVELS = {
    1: Criteria(peer_resolutions=5, accepted_answers=5, median_hours=48, trust_level=2),
    2: Criteria(peer_resolutions=25, accepted_answers=20, median_hours=24, trust_level=3),
    3: Criteria(peer_resolutions=100, accepted_answers=75, median_hours=12, trust_level=3),
}
LEVEL_NAMES = {0: "not an ambassador", 1: "ambassador", 2: "senior ambassador", 3: "lead ambassador"}


def duration_text(seconds: int | None) -> str:
    """A median answer time as a person reads it: "45 min", "6.5 h", "3 days"."""
    if seconds is None:
        return "—"
    if seconds < 2 * 3600:
        return f"{max(1, round(seconds / 60))} min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.0f} days"


def is_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role in STAFF_CONSOLE_ROLES)


def is_manager(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role in MANAGER_ROLES)


def peer_resolutions(
    since: datetime | None = None, answerers=None, chunk: int = 5000
) -> dict[int, list[int]]:
    """answerer -> seconds-to-answer of each peer answer still accepted (accepted since `since`)."""
    from townsquare.events.models import Event

    kinds = (reputation.ACCEPTED_KIND, reputation.UNACCEPTED_KIND)
    events = Event.objects.filter(kind__in=kinds)
    if since is not None:
        events = events.filter(occurred_at__gte=since)
    if answerers is not None:
        events = events.filter(data__answerer__in=list(answerers))
    current: dict[int, tuple[int, int]] = {}  # topic -> (answerer, seconds)
    # One ordered pass (the kind index narrows it); the iterator keeps memory at a chunk of rows.
    for kind, data in events.order_by("id").values_list("kind", "data").iterator(chunk_size=chunk):
        topic = data.get("topic")
        if kind == reputation.UNACCEPTED_KIND:
            current.pop(topic, None)
        elif (
            data.get("peer")
            and data.get("answerer") is not None
            and data.get("answerer") != data.get("asker")
        ):
            current[topic] = (data["answerer"], max(0, int(data.get("answered_after_seconds") or 0)))
        else:
            current.pop(topic, None)
    found: dict[int, list[int]] = defaultdict(list)
    for answerer, seconds in current.values():
        found[answerer].append(seconds)
    return found


@dataclass(frozen=True)
class Row:
    user_id: int
    username: str
    name: str
    resolutions: int
    median_seconds: int | None
    ambassador_level: int
    trust_level: int


def leaderboard(period: str = "30d", limit: int = 50, now: datetime | None = None) -> list[Row]:
    """Members by peer resolutions in the period (more first), then by median speed (faster first)."""
    if period not in PERIODS:
        raise CommunityError(f"period must be one of {', '.join(PERIODS)}")
    span = PERIODS[period]
    since = (now or timezone.now()) - span if span else None
    found = peer_resolutions(since)
    ranked = sorted(found.items(), key=lambda item: (-len(item[1]), median(item[1]), item[0]))[:limit]
    members = {
        m.user_id: m
        for m in Member.objects.select_related("user").filter(user_id__in=[uid for uid, _ in ranked])
    }
    rows = []
    for user_id, seconds in ranked:
        member = members.get(user_id)
        if member is None:
            continue
        rows.append(
            Row(
                user_id=user_id,
                username=member.user.get_username(),
                name=member.name,
                resolutions=len(seconds),
                median_seconds=int(median(seconds)),
                ambassador_level=member.ambassador_level,
                trust_level=member.trust_level,
            )
        )
    return rows


def level_met(member: Member, median_seconds: float | None) -> int:
    """The highest ambassador level whose criteria the member meets (0: none)."""
    met = 0
    for level, criteria in sorted(LEVELS.items()):
        if (
            member.peer_resolutions >= criteria.peer_resolutions
            and member.accepted_answers >= criteria.accepted_answers
            and member.trust_level >= criteria.trust_level
            and median_seconds is not None
            and median_seconds <= criteria.median_hours * 3600
        ):
            met = level
    return met


@dataclass(frozen=True)
class Candidate:
    member: Member
    level: int
    median_seconds: int
    pending_invite: AmbassadorInvite | None


def candidates(user, limit: int = 100) -> list[Candidate]:
    """Members who meet the criteria of a level above their own, for staff to invite."""
    if not is_staff(user):
        raise NotAllowed("only staff see ambassador candidates")
    lowest = LEVELS[1]
    members = list(
        Member.objects.select_related("user")
        .filter(
            peer_resolutions__gte=lowest.peer_resolutions,
            accepted_answers__gte=lowest.accepted_answers,
            trust_level__gte=lowest.trust_level,
            user__is_active=True,
            user__role__in=INVITABLE_ROLES,
        )
        .order_by("-peer_resolutions", "pk")[: limit * 3]
    )
    speeds = peer_resolutions(answerers=[m.user_id for m in members]) if members else {}
    pending = {
        invite.member_id: invite
        for invite in AmbassadorInvite.objects.filter(member__in=members, status=InviteStatus.PENDING)
    }
    found = []
    for member in members:
        seconds = speeds.get(member.user_id)
        middle = median(seconds) if seconds else None
        level = level_met(member, middle)
        if level > member.ambassador_level:
            found.append(Candidate(member, level, int(middle), pending.get(member.pk)))
    return found[:limit]


def invite(staff, user, level: int, message: str = "") -> AmbassadorInvite:
    if not is_staff(staff):
        raise NotAllowed("only staff invite members into the ambassador program")
    if level not in LEVELS:
        raise CommunityError("level must be 1, 2 or 3")
    if user.role not in INVITABLE_ROLES or not user.is_active:
        raise CommunityError("only active community members (customers and ambassadors) can be invited")
    message = (message or "").replace("\x00", "").strip()
    if len(message) > MESSAGE_LIMIT:
        raise CommunityError(f"message may have at most {MESSAGE_LIMIT} characters")
    with transaction.atomic():
        member = locked_member(user)
        if member.ambassador_level >= level:
            raise Conflict(f"{member.name} is already at ambassador level {member.ambassador_level}")
        if AmbassadorInvite.objects.filter(member=member, status=InviteStatus.PENDING).exists():
            raise Conflict(f"{member.name} already has an invitation waiting for an answer")
        sent = AmbassadorInvite.objects.create(member=member, level=level, invited_by=staff, message=message)
        Notification.objects.create(
            user=user,
            kind="ambassador",
            text=f"You are invited to the ambassador program (level {level}): /community/invites/{sent.pk}/",
            actor=staff,
        )
        record_community(
            "community.ambassador_invited",
            actor=staff,
            data={"invite": sent.pk, "user": user.pk, "level": level},
        )
    return sent


def respond(user, invite_id: int, *, accept: bool) -> AmbassadorInvite:
    """The invited member accepts or declines; accepting makes them an ambassador at the level."""
    if not (user and user.is_authenticated and user.is_active):
        raise NotAllowed("sign in to answer an invitation")
    with transaction.atomic():
        found = (
            AmbassadorInvite.objects.select_for_update().select_related("member").filter(pk=invite_id).first()
        )
        if found is None or found.member.user_id != user.pk:
            raise LookupError(f"invitation {invite_id} not found")
        if found.status != InviteStatus.PENDING:
            raise Conflict(f"this invitation was already {found.get_status_display().lower()}")
        found.status = InviteStatus.ACCEPTED if accept else InviteStatus.DECLINED
        found.answered_at = timezone.now()
        found.save(update_fields=["status", "answered_at"])
        data = {"invite": found.pk, "user": user.pk, "level": found.level}
        if not accept:
            record_community("community.ambassador_declined", actor=user, data=data)
            return found
        member = locked_member(user)
        member.ambassador_level = found.level
        member.ambassador_since = member.ambassador_since or found.answered_at
        member.save(update_fields=["ambassador_level", "ambassador_since"])
        role_changed = user.role == Role.CUSTOMER
        if role_changed:
            user.role = Role.AMBASSADOR
            user.save(update_fields=["role"])
        record_community(
            "community.ambassador_joined", actor=user, data={**data, "role_changed": role_changed}
        )
    return found


def remove(manager, user, reason: str = "") -> Member:
    """A supervisor or admin takes someone out of the program; an ambassador's role goes back to customer."""
    if not is_manager(manager):
        raise NotAllowed("only supervisors and admins remove ambassadors")
    reason = (reason or "").replace("\x00", "").strip()[:300]
    with transaction.atomic():
        member = locked_member(user)
        if member.ambassador_level == 0 and user.role != Role.AMBASSADOR:
            raise Conflict(f"{member.name} is not an ambassador")
        previous = member.ambassador_level
        member.ambassador_level, member.ambassador_since = 0, None
        member.save(update_fields=["ambassador_level", "ambassador_since"])
        role_changed = user.role == Role.AMBASSADOR
        if role_changed:
            user.role = Role.CUSTOMER
            user.save(update_fields=["role"])
        AmbassadorInvite.objects.filter(member=member, status=InviteStatus.PENDING).update(
            status=InviteStatus.WITHDRAWN, answered_at=timezone.now()
        )
        handed_back = _hand_back_conversations(manager, user)
        record_community(
            "community.ambassador_removed",
            actor=manager,
            data={
                "user": user.pk,
                "from": previous,
                "reason": reason,
                "role_changed": role_changed,
                "conversations_handed_back": handed_back,
            },
        )
    return member


def _hand_back_conversations(manager, user) -> list[int]:
    """Open care conversations routed to a removed ambassador go back to their queues."""
    from townsquare.care.claims import unassign
    from townsquare.inbox.models import Conversation, ConversationStatus

    open_ones = Conversation.objects.filter(assignee=user).exclude(
        status__in=[ConversationStatus.RESOLVED, ConversationStatus.CLOSED]
    )
    handed = []
    for conversation in open_ones.order_by("pk"):
        unassign(manager, conversation, reason="the ambassador left the program")
        handed.append(conversation.pk)
    return handed


def pending_invites_for(user) -> list[AmbassadorInvite]:
    if not (user and user.is_authenticated):
        return []
    return list(
        AmbassadorInvite.objects.select_related("invited_by").filter(
            member__user=user, status=InviteStatus.PENDING
        )
    )
