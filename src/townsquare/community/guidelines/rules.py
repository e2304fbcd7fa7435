"""How a proposal is decided: its discussion and voting periods, the quorum and the yes share.

Kept in one place so that the pages state exactly the rule the closing code applies.
"""

import math
from dataclasses import dataclass
from datetime import timedelta
from fractions import Fraction

from django.db.models import Q
from django.utils import timezone

from townsquare.community.models import Member, ProposalKind

DISCUSSION_DAYS = 3
MIN_DISCUSSION_DAYS = 1
MAX_DISCUSSION_DAYS = 14
VOTING_DAYS = 7
# Quorum: at least this many votes, or this share of the recently active members, whichever is more.
QUORUM_MINIMUM = 3
QUORUM_SHARE = Fraction(1, 10)
ACTIVE_DAYS = 90
VOTING_TRUST_LEVEL = 1
# Adding a rule needs a simple majority; changing or removing one that members rely on needs two thirds.
THRESHOLDS = {
    ProposalKind.ADD: Fraction(1, 2),
    ProposalKind.AMEND: Fraction(2, 3),
    ProposalKind.REPEAL: Fraction(2, 3),
}
# How many proposals one member may have open at a time, so the list stays readable.
OPEN_PROPOSALS_PER_MEMBER = 3


def active_voters(now=None) -> int:
    """Members who can vote (trust level 1+) and were seen or posted in the last ACTIVE_DAYS days."""
    since = (now or timezone.now()) - timedelta(days=ACTIVE_DAYS)
    return (
        Member.objects.filter(trust_level__gte=VOTING_TRUST_LEVEL, user__is_active=True)
        .filter(Q(last_seen_at__gte=since) | Q(last_posted_at__gte=since))
        .count()
    )


def mark_active(user, now) -> None:
    """Taking part in the rules (proposing, commenting, voting) counts as being active for the quorum."""
    from townsquare.community.members import member_of

    member_of(user)
    Member.objects.filter(user=user).update(last_seen_at=now)


def quorum_for(active: int) -> int:
    return max(QUORUM_MINIMUM, math.ceil(active * QUORUM_SHARE))


def threshold_for(kind: str) -> Fraction:
    return THRESHOLDS[ProposalKind(kind)]


def as_fraction(threshold: float) -> Fraction:
    """The threshold a proposal stored (a float column) back as the fraction it was (1/2, 2/3)."""
    return Fraction(threshold).limit_denominator(12)


@dataclass(frozen=True)
class Tally:
    yes: int = 0
    no: int = 0
    abstain: int = 0

    @property
    def total(self) -> int:
        return self.yes + self.no + self.abstain

    @property
    def yes_share(self) -> float | None:
        decided = self.yes + self.no
        return self.yes / decided if decided else None

    def as_dict(self) -> dict:
        return {"yes": self.yes, "no": self.no, "abstain": self.abstain}


def quorum_met(tally: Tally, quorum: int) -> bool:
    """Every vote counts towards the quorum, abstentions too: taking part is what quorum measures."""
    return tally.total >= quorum


def passes(tally: Tally, threshold: Fraction) -> bool:
    """More yes than no, and a yes share of the yes-and-no votes of at least `threshold`."""
    decided = tally.yes + tally.no
    return tally.yes > tally.no and tally.yes * threshold.denominator >= threshold.numerator * decided


def outcome(tally: Tally, quorum: int, threshold: Fraction) -> str:
    """ "adopted", "rejected" or "no_quorum" (ProposalStatus values)."""
    if not quorum_met(tally, quorum):
        return "no_quorum"
    return "adopted" if passes(tally, threshold) else "rejected"


def describe_threshold(threshold: Fraction) -> str:
    if threshold == Fraction(1, 2):
        return "more than half of the yes and no votes"
    return f"at least {threshold.numerator} in {threshold.denominator} of the yes and no votes"


def rules_text() -> list[str]:
    """The decision rules in plain words, for the guidelines and proposal pages."""
    return [
        f"Members of trust level 2 or more propose adding, changing or removing a rule, with a rationale. "
        f"A proposal is discussed for {DISCUSSION_DAYS} days (the proposer may choose "
        f"{MIN_DISCUSSION_DAYS}–{MAX_DISCUSSION_DAYS}; moderators may open the vote early).",
        f"Voting lasts {VOTING_DAYS} days. Members of trust level {VOTING_TRUST_LEVEL} or more vote yes, "
        f"no or abstain, one vote each, and may change it while the vote is open.",
        f"The quorum is fixed when voting opens: {QUORUM_MINIMUM} votes or "
        f"{QUORUM_SHARE.numerator * 100 // QUORUM_SHARE.denominator}% of the members of trust level "
        f"{VOTING_TRUST_LEVEL}+ active in the last {ACTIVE_DAYS} days, whichever is more. "
        "Yes, no and abstain all count towards it.",
        f"Adding a rule needs {describe_threshold(THRESHOLDS[ProposalKind.ADD])}; changing or removing "
        f"one needs {describe_threshold(THRESHOLDS[ProposalKind.AMEND])}.",
    ]
