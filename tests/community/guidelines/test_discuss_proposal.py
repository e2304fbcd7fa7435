"""Members discuss a proposal; comments are Markdown rendered safely, and close with the proposal."""

import pytest

from tests.community.guidelines.conftest import voting
from townsquare.community.errors import Conflict, NotAllowed
from townsquare.community.guidelines.proposing import comment, withdraw
from townsquare.events.models import Event


def test_farid_comments_and_script_is_neutralised(new_rule_proposal, farid):
    made = comment(farid, new_rule_proposal, "**Yes** please <script>alert(1)</script>")
    assert "<strong>Yes</strong>" in made.body_html
    assert "<script>" not in made.body_html
    event = Event.objects.get(kind="community.proposal_commented")
    assert event.actor_id == farid.pk and event.data == {"proposal": new_rule_proposal.pk, "comment": made.pk}


def test_comments_stay_open_while_voting(new_rule_proposal, farid):
    assert comment(farid, voting(new_rule_proposal), "Still thinking.")


def test_comments_close_with_the_proposal(new_rule_proposal, proposer, farid):
    withdraw(proposer, new_rule_proposal)
    with pytest.raises(Conflict, match="comments are closed"):
        comment(farid, new_rule_proposal, "Too late?")


def test_a_new_member_cannot_post_links_in_a_comment(new_rule_proposal, farid):
    with pytest.raises(NotAllowed, match="trust level 1"):
        comment(farid, new_rule_proposal, "See http://spam.example.com")


def test_anonymous_cannot_comment(new_rule_proposal):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotAllowed, match="sign in"):
        comment(AnonymousUser(), new_rule_proposal, "hello")
