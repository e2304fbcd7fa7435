"""When the vote ends, the periodic check decides it: quorum, then the yes share; an adopted proposal
writes a new version of the rule, and the rule's history shows it."""

from datetime import timedelta

import pytest

from tests.community.guidelines.conftest import active_member, after, rule, voting
from townsquare.community.guidelines import rules
from townsquare.community.guidelines.ballots import cast_vote
from townsquare.community.guidelines.closing import close_due_proposals
from townsquare.community.guidelines.proposing import propose
from townsquare.community.members import member_of
from townsquare.community.models import Guideline, GuidelineRevision, Proposal, ProposalStatus
from townsquare.events.models import Event


def vote_all(proposal, voters, choices):
    for voter, choice in zip(voters, choices, strict=False):
        cast_vote(voter, proposal, choice)


def decide(proposal):
    report = close_due_proposals(now=after(8))
    return report.decided.get(proposal.pk), Proposal.objects.get(pk=proposal.pk)


def test_the_discussion_ends_and_the_vote_opens_with_a_fixed_quorum(new_rule_proposal, voters):
    report = close_due_proposals(now=after(3.1))
    assert report.opened == [new_rule_proposal.pk]
    proposal = Proposal.objects.get(pk=new_rule_proposal.pk)
    assert proposal.status == ProposalStatus.VOTING
    assert proposal.quorum == 3
    assert proposal.voting_closes_at - proposal.voting_opens_at == timedelta(days=7)
    event = Event.objects.get(kind="community.proposal_voting_opened")
    assert event.actor_id is None and event.data["quorum"] == 3 and event.data["early"] is False


def test_quorum_is_ten_percent_of_active_voters_when_that_is_more_than_3(db):
    assert [rules.quorum_for(n) for n in (0, 10, 30, 31, 45, 200)] == [3, 3, 3, 4, 5, 20]


def test_only_recently_active_members_of_level_1_count_towards_the_quorum(db, farid):
    for n in range(3):
        active_member(f"recent{n}")
    stale = member_of(active_member("stale"))
    stale.last_seen_at = stale.last_seen_at - timedelta(days=120)
    stale.save()
    member_of(farid)  # level 0
    assert rules.active_voters() == 3


def test_quorum_met_and_majority_yes_adopts_a_new_rule(new_rule_proposal, voters, proposer):
    proposal = voting(new_rule_proposal)
    vote_all(proposal, voters, ["yes", "yes", "no"])
    outcome, decided = decide(proposal)
    assert outcome == decided.status == ProposalStatus.ADOPTED
    assert (decided.yes_votes, decided.no_votes, decided.abstain_votes) == (2, 1, 0)
    new = Guideline.objects.get(number=5)
    assert (new.title, new.is_active) == ("No referral links", True)
    revision = GuidelineRevision.objects.get(guideline=new)
    assert (revision.version, revision.proposal_id) == (1, proposal.pk)
    closed = Event.objects.get(kind="community.proposal_closed")
    assert closed.data == {
        "proposal": proposal.pk,
        "kind": "add",
        "outcome": "adopted",
        "yes": 2,
        "no": 1,
        "abstain": 0,
        "quorum": 3,
        "threshold": 0.5,
        "proposer": proposer.pk,
    }
    adopted = Event.objects.get(kind="community.guideline_adopted", data__proposal=proposal.pk)
    assert adopted.data["number"] == 5 and adopted.data["version"] == 1 and adopted.data["yes"] == 2


def test_below_quorum_fails_however_the_votes_went(new_rule_proposal, voters):
    proposal = voting(new_rule_proposal)
    vote_all(proposal, voters, ["yes", "yes"])
    outcome, decided = decide(proposal)
    assert outcome == ProposalStatus.NO_QUORUM
    assert not Guideline.objects.filter(number=5).exists()


def test_abstentions_count_towards_the_quorum_but_not_the_share(new_rule_proposal, voters):
    proposal = voting(new_rule_proposal)
    vote_all(proposal, voters, ["yes", "abstain", "abstain"])
    assert decide(proposal)[0] == ProposalStatus.ADOPTED


def test_a_tie_is_not_more_than_half(new_rule_proposal, voters):
    proposal = voting(new_rule_proposal)
    vote_all(proposal, voters, ["yes", "yes", "no", "no"])
    assert decide(proposal)[0] == ProposalStatus.REJECTED


def test_all_abstain_is_rejected(new_rule_proposal, voters):
    proposal = voting(new_rule_proposal)
    vote_all(proposal, voters, ["abstain"] * 3)
    assert decide(proposal)[0] == ProposalStatus.REJECTED


@pytest.mark.parametrize(
    "choices, outcome",
    [
        (["yes", "yes", "no"], ProposalStatus.ADOPTED),  # exactly two thirds
        (["yes", "yes", "yes", "no", "no"], ProposalStatus.REJECTED),  # 60 %: a majority, not two thirds
    ],
)
def test_an_amendment_needs_two_thirds(proposer, founding_rules, voters, choices, outcome):
    proposal = voting(
        propose(
            proposer,
            kind="amend",
            guideline=rule(2),
            title="Stay on topic",
            text="Post in the right space. Off-topic posts are moved, not deleted.",
            rationale="Moving is kinder than deleting.",
        )
    )
    vote_all(proposal, voters, choices)
    assert decide(proposal)[0] == outcome
    current = rule(2)
    if outcome == ProposalStatus.ADOPTED:
        assert current.text == "Post in the right space. Off-topic posts are moved, not deleted."
        versions = list(current.revisions.order_by("version").values_list("version", "text", "proposal_id"))
        assert versions[0][:2] == (1, founding_rules[1].text)
        assert versions[1] == (2, current.text, proposal.pk)
    else:
        assert current.text == founding_rules[1].text
        assert current.revisions.count() == 1


def test_an_adopted_repeal_keeps_the_rule_and_its_history_but_not_in_force(proposer, founding_rules, voters):
    proposal = voting(propose(proposer, kind="repeal", guideline=rule(4), rationale="Rule 1 covers this."))
    vote_all(proposal, voters, ["yes", "yes", "yes"])
    assert decide(proposal)[0] == ProposalStatus.ADOPTED
    repealed = rule(4)
    assert repealed.is_active is False
    last = repealed.revisions.order_by("-version").first()
    assert (last.version, last.repealed, last.proposal_id) == (2, True, proposal.pk)
    adopted = Event.objects.get(kind="community.guideline_adopted", data__proposal=proposal.pk)
    assert adopted.data["change"] == "repeal"


def test_a_repealed_rule_cannot_be_amended_and_its_number_is_not_reused(proposer, founding_rules, voters):
    proposal = voting(propose(proposer, kind="repeal", guideline=rule(4), rationale="Rule 1 covers this."))
    vote_all(proposal, voters, ["yes", "yes", "yes"])
    decide(proposal)
    from townsquare.community.errors import CommunityError

    with pytest.raises(CommunityError, match="was repealed"):
        propose(
            proposer,
            kind="amend",
            guideline=rule(4),
            title="Disclose",
            text="Say who pays you.",
            rationale="Bring it back please.",
        )
    added = voting(
        propose(
            proposer,
            kind="add",
            title="Disclose",
            text="Say who pays you, always.",
            rationale="Bring it back please.",
        )
    )
    vote_all(added, voters, ["yes", "yes", "yes"])
    close_due_proposals(now=after(8))
    assert Guideline.objects.filter(title="Disclose").get().number == 5


def test_closing_twice_decides_once(new_rule_proposal, voters):
    proposal = voting(new_rule_proposal)
    vote_all(proposal, voters, ["yes", "yes", "yes"])
    assert close_due_proposals(now=after(8)).decided == {proposal.pk: "adopted"}
    assert close_due_proposals(now=after(9)).decided == {}
    assert Event.objects.filter(kind="community.proposal_closed").count() == 1
    assert GuidelineRevision.objects.filter(proposal=proposal).count() == 1


def test_nothing_closes_before_the_vote_ends(new_rule_proposal, voters):
    proposal = voting(new_rule_proposal)
    vote_all(proposal, voters, ["yes", "yes", "yes"])
    assert close_due_proposals(now=after(6.9)).decided == {}
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.VOTING
