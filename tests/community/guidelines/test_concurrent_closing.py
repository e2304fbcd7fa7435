"""Two closers at once (two hosts' periodic checks, or one and the cron command): a proposal is
decided once, with one set of events and one new revision."""

import threading

import pytest
from django.db import connection, connections

from tests.community.guidelines.conftest import after, voting
from townsquare.community.guidelines.ballots import cast_vote
from townsquare.community.guidelines.closing import close_due_proposals, close_proposal
from townsquare.community.models import GuidelineRevision, Proposal
from townsquare.events.models import Event


def test_a_closer_holding_a_stale_copy_finds_nothing_to_do(new_rule_proposal, voters):
    proposal = voting(new_rule_proposal)
    for voter in voters[:3]:
        cast_vote(voter, proposal, "yes")
    stale = Proposal.objects.get(pk=proposal.pk)  # read by the second closer before the first commits
    assert close_proposal(proposal, now=after(8)) == "adopted"
    assert close_proposal(stale, now=after(8)) is None
    assert Event.objects.filter(kind="community.proposal_closed").count() == 1
    assert Event.objects.filter(kind="community.guideline_adopted", data__proposal=proposal.pk).count() == 1
    assert GuidelineRevision.objects.filter(proposal=proposal).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor == "sqlite", reason="needs row locks across connections")
def test_four_closers_at_once_decide_each_proposal_once(members, eve):
    from tests.community.guidelines.conftest import active_member
    from townsquare.community.guidelines.proposing import propose
    from townsquare.community.guidelines.seeding import seed_guidelines

    seed_guidelines()
    voters = [active_member(f"voter{n}") for n in range(3)]
    proposals = []
    for n, proposer in enumerate([members["bob"], members["bob"], eve]):
        proposal = voting(
            propose(
                proposer,
                kind="add",
                title=f"Rule idea {n}",
                text="A rule worth having.",
                rationale="Because it helps.",
            )
        )
        for voter in voters:
            cast_vote(voter, proposal, "yes")
        proposals.append(proposal)
    barrier = threading.Barrier(4)
    errors, decided = [], []

    def closer():
        try:
            barrier.wait()
            decided.append(close_due_proposals(now=after(8)).decided)
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=closer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    all_decided = [pk for report in decided for pk in report]
    assert sorted(all_decided) == sorted(p.pk for p in proposals)
    assert Event.objects.filter(kind="community.proposal_closed").count() == 3
    assert GuidelineRevision.objects.filter(proposal__in=proposals).count() == 3
    assert sorted(
        GuidelineRevision.objects.filter(proposal__in=proposals).values_list("guideline__number", flat=True)
    ) == [5, 6, 7]
