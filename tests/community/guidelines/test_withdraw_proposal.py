"""Bob withdraws his own proposal while it is open; nobody else can withdraw it."""

import pytest

from tests.community.guidelines.conftest import after, voting
from townsquare.community.errors import Conflict, NotAllowed
from townsquare.community.guidelines.ballots import cast_vote
from townsquare.community.guidelines.closing import close_due_proposals
from townsquare.community.guidelines.proposing import withdraw
from townsquare.community.models import ProposalStatus
from townsquare.events.models import Event


def test_bob_withdraws_during_the_vote_and_it_is_never_decided(new_rule_proposal, proposer, voters):
    proposal = voting(new_rule_proposal)
    for voter in voters[:3]:
        cast_vote(voter, proposal, "yes")
    withdrawn = withdraw(proposer, proposal)
    assert withdrawn.status == ProposalStatus.WITHDRAWN
    assert close_due_proposals(now=after(8)).decided == {}
    event = Event.objects.get(kind="community.proposal_withdrawn")
    assert event.actor_id == proposer.pk


@pytest.mark.parametrize("who", ["eve", "dana"])
def test_others_cannot_withdraw_it(new_rule_proposal, members, eve, who):
    user = eve if who == "eve" else members["dana"]
    with pytest.raises(NotAllowed, match="only the member who proposed it"):
        withdraw(user, new_rule_proposal)


def test_a_decided_proposal_cannot_be_withdrawn(new_rule_proposal, proposer):
    withdraw(proposer, new_rule_proposal)
    with pytest.raises(Conflict, match="already withdrawn"):
        withdraw(proposer, new_rule_proposal)
