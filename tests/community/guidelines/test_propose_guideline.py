"""Bob (trust level 2+) proposes a rule; newer members are told what they need first."""

import pytest

from tests.community.guidelines.conftest import rule
from townsquare.community.errors import CommunityError, Conflict, NotAllowed
from townsquare.community.guidelines.proposing import propose
from townsquare.community.models import Proposal, ProposalStatus
from townsquare.events.models import Event

NEW_RULE = {
    "kind": "add",
    "title": "No referral links",
    "text": "Do not post referral or affiliate links.",
    "rationale": "They look like help and are ads.",
}


def test_a_member_at_trust_level_2_proposes_a_new_rule(members, founding_rules):
    bob = members["bob"]
    proposal = propose(bob, **NEW_RULE, discussion_days=5)
    assert proposal.status == ProposalStatus.DISCUSSION
    assert (proposal.voting_opens_at - proposal.created_at).days == 5
    assert proposal.threshold == 0.5
    event = Event.objects.get(kind="community.proposal_created")
    assert event.actor_id == bob.pk and event.data["proposal"] == proposal.pk


@pytest.mark.parametrize("who, level", [("farid", 0), ("dana", 1)])
def test_members_below_trust_level_2_are_told_what_they_need(members, founding_rules, who, level):
    with pytest.raises(
        NotAllowed, match="you need trust level 2 \\(member\\) to propose community guidelines"
    ):
        propose(members[who], **NEW_RULE)
    assert not Proposal.objects.exists()


def test_an_agent_speaks_for_the_brand_and_does_not_propose_the_members_rules(alice, founding_rules):
    with pytest.raises(NotAllowed):
        propose(alice, **NEW_RULE)


def test_a_moderator_may_propose(eve, founding_rules):
    assert propose(eve, **NEW_RULE).proposer == eve


def test_amending_needs_two_thirds_and_names_the_rule(members, founding_rules):
    proposal = propose(
        members["bob"],
        kind="amend",
        guideline=rule(2),
        title="Stay on topic",
        text="Post in the right space. Off-topic posts are moved, not deleted.",
        rationale="Moving is kinder than deleting.",
    )
    assert proposal.guideline.number == 2
    assert proposal.threshold == pytest.approx(2 / 3)


def test_repealing_copies_the_rules_title(members, founding_rules):
    proposal = propose(
        members["bob"], kind="repeal", guideline=rule(4), rationale="Rule 1 already covers this."
    )
    assert (proposal.title, proposal.text) == ("Disclose your affiliation", "")


@pytest.mark.parametrize(
    "change, message",
    [
        ({"rationale": "short"}, "rationale must have at least 10 characters"),
        ({"title": ""}, "title must have at least 3 characters"),
        ({"text": "x" * 10_001}, "text may have at most 10000 characters"),
        ({"discussion_days": 0}, "discussion_days must be between 1 and 14"),
        ({"discussion_days": 15}, "discussion_days must be between 1 and 14"),
        ({"kind": "replace"}, "kind must be one of add, amend, repeal"),
    ],
)
def test_bad_input_is_refused_with_a_reason(members, founding_rules, change, message):
    with pytest.raises(CommunityError, match=message):
        propose(members["bob"], **{**NEW_RULE, **change})


def test_amend_and_repeal_must_name_a_rule_and_add_must_not(members, founding_rules):
    bob = members["bob"]
    with pytest.raises(CommunityError, match="say which rule"):
        propose(bob, kind="repeal", rationale="Rule 1 already covers this.")
    with pytest.raises(CommunityError, match="names no existing rule"):
        propose(bob, **NEW_RULE, guideline=rule(1))


def test_an_amendment_that_changes_nothing_is_refused(members, founding_rules):
    current = rule(1)
    with pytest.raises(CommunityError, match="same as rule 1"):
        propose(
            members["bob"],
            kind="amend",
            guideline=current,
            title=current.title,
            text=current.text,
            rationale="Just checking it is fine.",
        )


def test_one_open_proposal_per_rule(members, founding_rules, eve):
    propose(members["bob"], kind="repeal", guideline=rule(4), rationale="Rule 1 already covers this.")
    with pytest.raises(Conflict, match="about rule 4 is still open"):
        propose(eve, kind="repeal", guideline=rule(4), rationale="I agree it should go.")


def test_a_member_has_at_most_three_open_proposals(members, founding_rules):
    bob = members["bob"]
    for n in range(3):
        propose(bob, **{**NEW_RULE, "title": f"Rule idea {n}"})
    with pytest.raises(Conflict, match="you have 3 open proposals"):
        propose(bob, **NEW_RULE)
