"""Guideline fixtures: the founding rules, members who vote, and proposals at each stage."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.community.conftest import at_trust_level
from townsquare.community.guidelines.closing import open_voting
from townsquare.community.guidelines.proposing import propose
from townsquare.community.guidelines.seeding import seed_guidelines
from townsquare.community.members import member_of
from townsquare.community.models import Guideline, Proposal
from townsquare.people.models import Role


def active_member(username: str, level: int = 1):
    """A customer seen this week at trust level `level`: counts towards the quorum."""
    from tests.conftest import make_user

    user = at_trust_level(make_user(username, Role.CUSTOMER, ["en"]), level)
    member = member_of(user)
    member.last_seen_at = timezone.now() - timedelta(days=2)
    member.save(update_fields=["last_seen_at"])
    return user


def rule(number: int) -> Guideline:
    return Guideline.objects.get(number=number)


def after(days: float):
    return timezone.now() + timedelta(days=days)


@pytest.fixture
def founding_rules(db):
    return seed_guidelines()


@pytest.fixture
def voters(db):
    """Five members of trust level 1, all active lately: the quorum is 3 (the minimum)."""
    return [active_member(f"voter{n}") for n in range(5)]


@pytest.fixture
def proposer(members):
    """Bob (trust level 3) proposes."""
    return members["bob"]


@pytest.fixture
def new_rule_proposal(proposer, founding_rules) -> Proposal:
    return propose(
        proposer,
        kind="add",
        title="No referral links",
        text="Do not post referral or affiliate links; they look like help and are ads.",
        rationale="Three threads last month were derailed by referral links.",
    )


def voting(proposal: Proposal, *, actor=None) -> Proposal:
    assert open_voting(proposal, actor=actor)
    return Proposal.objects.get(pk=proposal.pk)
