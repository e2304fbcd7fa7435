"""`townsquare community-guidelines close` and `townsquare run`'s periodic checks decide due votes."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from tests.community.guidelines.conftest import voting
from townsquare.community.guidelines.ballots import cast_vote
from townsquare.community.models import Guideline, Proposal, ProposalStatus
from townsquare.ops import periodic


def ended(proposal):
    from datetime import timedelta

    from django.utils import timezone

    Proposal.objects.filter(pk=proposal.pk).update(voting_closes_at=timezone.now() - timedelta(minutes=1))


def test_the_command_decides_ended_votes_and_prints_json(new_rule_proposal, voters):
    proposal = voting(new_rule_proposal)
    for voter in voters[:3]:
        cast_vote(voter, proposal, "yes")
    ended(proposal)
    out = StringIO()
    call_command("community-guidelines", "close", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {"opened": [], "decided": {str(proposal.pk): "adopted"}}
    out = StringIO()
    call_command("community-guidelines", "close", stdout=out)
    assert out.getvalue().strip() == "voting opened: none · decided: none"


def test_the_seed_command_writes_the_founding_rules(db):
    out = StringIO()
    call_command("community-guidelines", "seed", stdout=out)
    assert out.getvalue().strip() == "4 guidelines"
    assert Guideline.objects.count() == 4


@pytest.mark.django_db(transaction=True)  # the checks close their connections when done
def test_the_periodic_checks_close_guideline_votes(new_rule_proposal, voters):
    proposal = voting(new_rule_proposal)
    for voter in voters[:2]:
        cast_vote(voter, proposal, "yes")
    ended(proposal)
    periodic.run_periodic_checks("live-worker")
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.NO_QUORUM
