"""Trust levels: the rules that promote (and, from regular, demote) members, and staff's override.

The rules live in one table, `RULES`: each level lists groups of requirements, and a group is met
when any one of its requirements is. Levels 1 and 2 are kept once earned; level 3 (regular) is
dropped back to 2 when a rule stops holding after something went against the member (a downvote,
an unaccepted answer, an upheld flag); level 4 (leader) is given only by staff. A level set by
staff is locked: the rules leave it alone until staff unlock it.

`earned_level` and `next_level` are pure, so the listeners and the recompute from the log decide
the same way; `evaluate_at` is the time the event happened, not the time it is replayed.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction

from townsquare.community import privileges
from townsquare.community.errors import CommunityError, NotAllowed
from townsquare.community.events import record_community
from townsquare.community.members import locked_member

TRUST_LEVEL_CHANGED = "community.trust_level_changed"
STAFF_ONLY_LEVEL = 4
HIGHEST_AUTOMATIC = 3
FLAG_WINDOW = timedelta(days=90)
DAYS_FOR_BASIC = 3
SWEEP_LIMIT = 500


@dataclass(frozen=True)
class Requirement:
    fact: str
    label: str
    need: int
    at_most: bool = False

    def met(self, have: int) -> bool:
        return have <= self.need if self.at_most else have >= self.need


def _req(fact: str, label: str, need: int, at_most: bool = False) -> tuple[Requirement, ...]:
    return (Requirement(fact, label, need, at_most),)


# level -> groups of requirements; a group holds when any requirement in it holds.
RULES: dict[int, list[tuple[Requirement, ...]]] = {
    1: [
        _req("posts", "questions or answers posted", 1),
        (
            Requirement("days", "days since joining", DAYS_FOR_BASIC),
            Requirement("reputation", "reputation", 10),
        ),
    ],
    2: [
        _req("answers", "answers posted", 5),
        _req("reputation", "reputation", 50),
        _req("accepted", "accepted answers", 1),
    ],
    3: [
        _req("answers", "answers posted", 20),
        _req("accepted", "accepted answers", 10),
        _req("reputation", "reputation", 250),
        _req("recent_flags", "upheld flags on your posts in the last 90 days", 0, at_most=True),
    ],
}


class Facts:
    """What the rules read about a member; `recent_flags` is asked for only when level 3 is in play."""

    def __init__(self, *, reputation, topics, answers, accepted, joined_at, at, recent_flags: Callable):
        self.values = {
            "reputation": reputation,
            "posts": topics + answers,
            "answers": answers,
            "accepted": accepted,
            "days": max(0, (at - joined_at).days) if joined_at else 0,
        }
        self._recent_flags = recent_flags

    def __getitem__(self, fact: str) -> int:
        if fact not in self.values:
            self.values[fact] = self._recent_flags()
        return self.values[fact]


def holds(level: int, facts: Facts) -> bool:
    return all(any(req.met(facts[req.fact]) for req in group) for group in RULES[level])


def earned_level(facts: Facts) -> int:
    level = 0
    while level < HIGHEST_AUTOMATIC and holds(level + 1, facts):
        level += 1
    return level


def next_level(current: int, locked: bool, facts: Facts, *, may_demote: bool) -> tuple[int, str] | None:
    """The level the rules move a member to, with the reason; None when it stays."""
    if locked or current >= STAFF_ONLY_LEVEL:
        return None
    if current == HIGHEST_AUTOMATIC and not may_demote:
        return None
    # Most events change nothing: a promotion needs the next level's rules, so check those first.
    if current < HIGHEST_AUTOMATIC and not holds(current + 1, facts):
        return None
    earned = earned_level(facts)
    if earned > current:
        return earned, f"met the rules for trust level {earned} ({privileges.TRUST_LEVEL_NAMES[earned]})"
    if current == HIGHEST_AUTOMATIC and may_demote and earned < HIGHEST_AUTOMATIC:
        missing = [
            req.label
            for group in RULES[HIGHEST_AUTOMATIC]
            if not any(req.met(facts[req.fact]) for req in group)
            for req in group[:1]
        ]
        return HIGHEST_AUTOMATIC - 1, "no longer meets the rules for trust level 3: " + ", ".join(missing)
    return None


def recent_upheld_flags(user_id: int, at: datetime) -> int:
    """Moderation decisions in the last 90 days that upheld flags on this member's posts."""
    from townsquare.events.models import Event

    rows = Event.objects.filter(
        kind="community.moderated",
        occurred_at__gt=at - FLAG_WINDOW,
        occurred_at__lte=at,
        data__target_user=user_id,
    ).values_list("data", flat=True)
    return sum(upheld_count(data) for data in rows)


def upheld_count(data: dict) -> int:
    upheld = (data or {}).get("upheld_flags")
    if isinstance(upheld, list | tuple):
        return len(upheld)
    try:
        return max(0, int(upheld or 0))
    except (TypeError, ValueError):
        return 0


def facts_of(member, at: datetime) -> Facts:
    return Facts(
        reputation=member.reputation,
        topics=member.topics_posted,
        answers=member.answers_posted,
        accepted=member.accepted_answers,
        joined_at=member.joined_at,
        at=at,
        recent_flags=lambda: recent_upheld_flags(member.user_id, at),
    )


def reevaluate(member, *, at: datetime, may_demote: bool, actor_id=None) -> bool:
    """Apply the rules to a locked member row (the caller saves it); writes the change's event."""
    change = next_level(
        member.trust_level, member.trust_level_locked, facts_of(member, at), may_demote=may_demote
    )
    if change is None:
        return False
    level, reason = change
    previous, member.trust_level = member.trust_level, level
    record_community(
        TRUST_LEVEL_CHANGED,
        actor=actor_id,
        data={"user": member.user_id, "from": previous, "to": level, "reason": reason, "source": "rules"},
    )
    return True


def promote_by_time(limit: int = SWEEP_LIMIT) -> list[int]:
    """The one rule time alone can meet (days since joining): promote members waiting on it.

    Other rules are met by events, which re-evaluate as they happen. The event this writes
    (source "sweep") makes the recompute evaluate the member at the same moment, so both agree.
    """
    from django.db.models import F
    from django.utils import timezone

    from townsquare.community.models import Member

    # Always the present: the event written below is stamped now, and the recompute reads its time.
    now = timezone.now()
    waiting = (
        Member.objects.filter(
            trust_level=0, trust_level_locked=False, joined_at__lte=now - timedelta(days=DAYS_FOR_BASIC)
        )
        .annotate(posts=F("topics_posted") + F("answers_posted"))
        .filter(posts__gte=1)
        .values_list("pk", flat=True)[:limit]
    )
    promoted = []
    for pk in list(waiting):
        with transaction.atomic():
            member = Member.objects.select_for_update().get(pk=pk)
            change = next_level(
                member.trust_level, member.trust_level_locked, facts_of(member, now), may_demote=False
            )
            if change is None:
                continue
            previous, member.trust_level = member.trust_level, change[0]
            member.save(update_fields=["trust_level"])
            record_community(
                TRUST_LEVEL_CHANGED,
                data={
                    "user": member.user_id,
                    "from": previous,
                    "to": change[0],
                    "reason": change[1],
                    "source": "sweep",
                },
            )
            promoted.append(member.user_id)
    return promoted


@dataclass(frozen=True)
class Step:
    label: str
    have: int
    need: int
    met: bool
    at_most: bool
    # Set on the second and later requirements of a group: any one of them is enough.
    alternative: bool


def next_level_progress(member, at: datetime | None = None) -> dict:
    """What the member needs for the next level: each requirement with have/need."""
    from django.utils import timezone

    level = member.trust_level
    result = {
        "level": level,
        "name": privileges.TRUST_LEVEL_NAMES[level],
        "locked": member.trust_level_locked,
    }
    if level >= HIGHEST_AUTOMATIC:
        result.update(next=None, steps=[], note="Trust level 4 (leader) is given by staff.")
        if level >= STAFF_ONLY_LEVEL:
            result["note"] = "This is the highest trust level."
        return result
    facts = facts_of(member, at or timezone.now())
    steps = [
        Step(req.label, facts[req.fact], req.need, req.met(facts[req.fact]), req.at_most, index > 0)
        for group in RULES[level + 1]
        for index, req in enumerate(group)
    ]
    result.update(next=level + 1, next_name=privileges.TRUST_LEVEL_NAMES[level + 1], steps=steps, note="")
    return result


def set_trust_level(staff, user, level: int, *, lock: bool = True, reason: str = ""):
    """A moderator sets `user`'s trust level; locked, the automatic rules leave it alone."""
    if not privileges.is_moderator(staff):
        raise NotAllowed("only moderators, supervisors and admins may set trust levels")
    if not isinstance(level, int) or level not in privileges.TRUST_LEVEL_NAMES:
        raise CommunityError("level must be 0, 1, 2, 3 or 4")
    reason = (reason or "").replace("\x00", "").strip()[:300] or "set by staff"
    with transaction.atomic():
        member = locked_member(user)
        previous = member.trust_level
        member.trust_level, member.trust_level_locked = level, lock
        member.save(update_fields=["trust_level", "trust_level_locked"])
        record_community(
            TRUST_LEVEL_CHANGED,
            actor=staff,
            data={
                "user": user.pk,
                "from": previous,
                "to": level,
                "reason": reason,
                "source": "staff",
                "locked": lock,
            },
        )
    return member
