"""Badges: rules in code, awarded once each, by the same listeners that keep reputation.

A rule reads `BadgeFacts` (a member's counters, plus what the event at hand says) and answers the
reason it is earned, or None. The recompute from the log evaluates the same rules in log order, so
it finds exactly the badges the listeners gave and adds any that are missing.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import IntegrityError, transaction

from townsquare.community.events import record_community

BADGE_AWARDED = "community.badge_awarded"
STREAK_DAYS = 5
LANGUAGES = 3
WELL_RECEIVED_SCORE = 5


@dataclass
class BadgeFacts:
    """Counts about one member; `languages` and `streak` are computed only when a rule asks."""

    counters: dict
    languages: Callable[[], int] = lambda: 0
    streak: Callable[[], int] = lambda: 0
    # From the event being handled: a question this member just asked, a score their question reached.
    asked_question: int | None = None
    question_score: tuple[int, int] | None = None  # (topic id, score)
    cache: dict = field(default_factory=dict)

    def count(self, name: str) -> int:
        return int(self.counters.get(name, 0))

    def lazy(self, name: str) -> int:
        if name not in self.cache:
            self.cache[name] = getattr(self, name)()
        return self.cache[name]


@dataclass(frozen=True)
class Badge:
    slug: str
    name: str
    description: str
    rule: Callable[[BadgeFacts], str | None]


def _at_least(counter: str, need: int, reason: str):
    return lambda facts: reason if facts.count(counter) >= need else None


BADGES = [
    Badge(
        "first-question",
        "Curious",
        "Asked a first question.",
        lambda f: f"asked question {f.asked_question}" if f.asked_question else None,
    ),
    Badge(
        "first-answer",
        "Helping hand",
        "Posted a first answer.",
        _at_least("answers_posted", 1, "first answer"),
    ),
    Badge(
        "first-accepted",
        "Solved it",
        "Had a first answer accepted.",
        _at_least("accepted_answers", 1, "first accepted answer"),
    ),
    Badge(
        "well-received",
        "Good question",
        f"Asked a question that reached a score of {WELL_RECEIVED_SCORE}.",
        lambda f: (
            f"question {f.question_score[0]} reached score {f.question_score[1]}"
            if f.question_score and f.question_score[1] >= WELL_RECEIVED_SCORE
            else None
        ),
    ),
    Badge(
        "helpful-10",
        "Helpful",
        "Received 10 helpful marks.",
        _at_least("helpful_received", 10, "10 helpful marks"),
    ),
    Badge(
        "polyglot",
        "Polyglot",
        f"Answered in {LANGUAGES} languages.",
        lambda f: (
            f"answered in {f.lazy('languages')} languages" if f.lazy("languages") >= LANGUAGES else None
        ),
    ),
    Badge(
        "helper-streak",
        "Helper streak",
        f"Answered questions on {STREAK_DAYS} days in a row.",
        lambda f: f"answered {STREAK_DAYS} days in a row" if f.lazy("streak") >= STREAK_DAYS else None,
    ),
    Badge(
        "peer-10",
        "Peer supporter",
        "Solved 10 questions for other members (accepted answers, not as staff).",
        _at_least("peer_resolutions", 10, "10 peer resolutions"),
    ),
]
BY_SLUG = {badge.slug: badge for badge in BADGES}


def newly_earned(facts: BadgeFacts, held: set[str]) -> list[tuple[str, str]]:
    """(slug, reason) for each badge the facts earn that the member does not hold yet."""
    earned = []
    for badge in BADGES:
        if badge.slug in held:
            continue
        reason = badge.rule(facts)
        if reason:
            earned.append((badge.slug, reason))
    return earned


def run_length(days: set[date], last: date) -> int:
    """How many days in a row, ending on `last`, are in `days`."""
    run = 0
    while last - timedelta(days=run) in days:
        run += 1
    return run


def award(user_id: int, slug: str, reason: str, *, actor_id=None, at=None, recomputed: bool = False) -> bool:
    """Give the badge once: a second award of the same badge changes nothing and writes nothing."""
    from django.utils import timezone

    from townsquare.community.models import BadgeAward

    if BadgeAward.objects.filter(user_id=user_id, badge=slug).exists():
        return False
    try:
        with transaction.atomic():
            BadgeAward.objects.create(
                user_id=user_id, badge=slug, reason=reason[:200], awarded_at=at or timezone.now()
            )
    except IntegrityError:
        return False
    record_community(
        BADGE_AWARDED,
        actor=actor_id,
        data={
            "user": user_id,
            "badge": slug,
            "name": BY_SLUG[slug].name,
            "reason": reason[:200],
            # Found by the recompute from the log (history): the member is not notified about it.
            "recomputed": recomputed,
        },
    )
    return True
