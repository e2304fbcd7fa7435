"""Eve the moderator opens the vote before the discussion period ends; members cannot."""

import pytest

from tests.community.guidelines.conftest import voting
from townsquare.community.errors import Conflict, NotAllowed
from townsquare.community.guidelines.closing import open_voting_early
from townsquare.community.models import ProposalStatus
from townsquare.events.models import Event


def test_eve_opens_the_vote_early_and_the_quorum_is_fixed_then(new_rule_proposal, eve, voters):
    opened = open_voting_early(eve, new_rule_proposal)
    assert opened.status == ProposalStatus.VOTING
    assert opened.quorum == 3
    event = Event.objects.get(kind="community.proposal_voting_opened")
    assert event.actor_id == eve.pk and event.data["early"] is True


def test_the_proposer_cannot_cut_the_discussion_short(new_rule_proposal, proposer):
    with pytest.raises(NotAllowed, match="only moderators"):
        open_voting_early(proposer, new_rule_proposal)
    assert not Event.objects.filter(kind="community.proposal_voting_opened").exists()


def test_opening_twice_is_a_conflict(new_rule_proposal, eve):
    voting(new_rule_proposal)
    with pytest.raises(Conflict, match="not in discussion"):
        open_voting_early(eve, new_rule_proposal)
