"""Members of trust level 1+ vote yes, no or abstain: one vote each, changeable while the vote is open."""

import pytest

from tests.community.guidelines.conftest import after, voting
from townsquare.community.errors import CommunityError, Conflict, NotAllowed
from townsquare.community.guidelines import rules
from townsquare.community.guidelines.ballots import cast_vote
from townsquare.community.guidelines.proposing import withdraw
from townsquare.community.models import Proposal, ProposalVote
from townsquare.events.models import Event


def tally(proposal):
    fresh = Proposal.objects.get(pk=proposal.pk)
    return fresh.yes_votes, fresh.no_votes, fresh.abstain_votes


def test_dana_votes_once_and_changes_her_mind(new_rule_proposal, members):
    dana = members["dana"]
    proposal = voting(new_rule_proposal)
    cast_vote(dana, proposal, "yes")
    assert tally(proposal) == (1, 0, 0)
    cast_vote(dana, proposal, "no")
    assert tally(proposal) == (0, 1, 0)
    cast_vote(dana, proposal, "no")  # the same vote again changes nothing
    assert tally(proposal) == (0, 1, 0)
    assert ProposalVote.objects.filter(proposal=proposal, user=dana).count() == 1
    events = list(
        Event.objects.filter(kind="community.proposal_voted").order_by("id").values_list("data", flat=True)
    )
    assert [(e["previous"], e["choice"]) for e in events] == [(None, "yes"), ("yes", "no")]


def test_each_member_counts_once(new_rule_proposal, voters):
    proposal = voting(new_rule_proposal)
    for voter, choice in zip(voters, ["yes", "yes", "no", "abstain", "yes"], strict=True):
        cast_vote(voter, proposal, choice)
        cast_vote(voter, proposal, choice)
    assert tally(proposal) == (3, 1, 1)


def test_farid_at_trust_level_0_is_told_he_needs_level_1(new_rule_proposal, members):
    proposal = voting(new_rule_proposal)
    with pytest.raises(
        NotAllowed, match="you need trust level 1 \\(basic\\) to vote on proposed community guidelines"
    ):
        cast_vote(members["farid"], proposal, "yes")
    assert tally(proposal) == (0, 0, 0)


def test_no_votes_during_the_discussion(new_rule_proposal, members):
    with pytest.raises(Conflict, match="not open for votes"):
        cast_vote(members["dana"], new_rule_proposal, "yes")


def test_no_votes_after_the_vote_ended(new_rule_proposal, members):
    proposal = voting(new_rule_proposal)
    with pytest.raises(Conflict, match="has ended"):
        cast_vote(members["dana"], proposal, "yes", now=after(8))


def test_no_votes_on_a_withdrawn_proposal(new_rule_proposal, members, proposer):
    proposal = voting(new_rule_proposal)
    withdraw(proposer, proposal)
    with pytest.raises(Conflict):
        cast_vote(members["dana"], proposal, "yes")


def test_an_unknown_choice_is_refused(new_rule_proposal, members):
    with pytest.raises(CommunityError, match="choice must be one of yes, no, abstain"):
        cast_vote(members["dana"], voting(new_rule_proposal), "maybe")


def test_voting_counts_as_being_active_for_later_quorums(new_rule_proposal, members):
    assert rules.active_voters() == 1  # Bob, who proposed it
    cast_vote(members["dana"], voting(new_rule_proposal), "yes")
    assert rules.active_voters() == 2
