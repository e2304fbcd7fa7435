"""The guideline pages: public to read, posting by trust level with the reason shown, CSRF on forms."""

import pytest
from django.test import Client

from tests.community.guidelines.conftest import rule, voting
from tests.conftest import PASSWORD
from townsquare.community.guidelines.ballots import cast_vote
from townsquare.community.guidelines.proposing import comment, propose
from townsquare.community.models import Proposal, ProposalStatus, ProposalVote


def signed_in(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def amendment(proposer, founding_rules):
    return propose(
        proposer,
        kind="amend",
        guideline=rule(2),
        title="Stay on topic",
        text="Post in the right space. Off-topic posts are moved, not deleted.",
        rationale="Moving is **kinder** than deleting.",
    )


def test_anyone_reads_the_current_rules_and_the_decision_rule(client, founding_rules):
    page = client.get("/community/guidelines/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Rule 1: Be kind" in html and "Rule 4: Disclose your affiliation" in html
    assert 'href="/community/guidelines/3/"' in html
    assert "3 votes or 10% of the members of trust level 1+ active in the last 90 days" in html


def test_anyone_reads_a_rules_history_with_the_proposal_that_adopted_each_version(client, amendment, voters):
    from tests.community.guidelines.conftest import after
    from townsquare.community.guidelines.closing import close_due_proposals

    proposal = voting(amendment)
    for voter in voters[:3]:
        cast_vote(voter, proposal, "yes")
    close_due_proposals(now=after(8))
    html = client.get("/community/guidelines/2/").content.decode()
    assert "Version 1" in html and "founding rules" in html
    assert "Version 2" in html and f'href="/community/proposals/{proposal.pk}/"' in html
    assert "3 yes, 0 no, 0 abstain; quorum 3" in html
    assert client.get("/community/guidelines/99/").status_code == 404


def test_the_proposal_page_shows_the_diff_comments_and_tally(client, amendment, farid):
    comment(farid, amendment, "Sounds <b>fair</b>")
    html = client.get(f"/community/proposals/{amendment.pk}/").content.decode()
    assert "<ins>" in html and "moved, not deleted." in html
    assert "<del>" in html
    assert "<strong>kinder</strong>" in html
    assert "Sounds &lt;b&gt;fair" in html and "<b>fair" not in html  # shown as text, never as markup
    assert "Voting has not opened yet" in html
    proposal = voting(amendment)
    html = client.get(f"/community/proposals/{proposal.pk}/").content.decode()
    assert "Quorum: 0 of 3 votes" in html
    assert "at least 2 in 3 of the yes and no votes" in html


def test_the_proposals_list_groups_by_stage(client, amendment, new_rule_proposal):
    voting(amendment)
    html = client.get("/community/proposals/").content.decode()
    assert html.index("Change rule 2: Stay on topic") < html.index("In discussion")
    assert html.index("In discussion") < html.index("Add a rule: No referral links")


def test_a_new_member_is_told_he_needs_trust_level_2(members, founding_rules):
    farid = signed_in(members["farid"])
    page = farid.get("/community/proposals/new/")
    assert "You need trust level 2 (member) to propose community guidelines" in page.content.decode()
    assert '<form method="post" class="c-form' not in page.content.decode()
    refused = farid.post(
        "/community/proposals/new/", {"kind": "add", "title": "x", "text": "y", "rationale": "z"}
    )
    assert refused.status_code == 403
    assert not Proposal.objects.exists()


def test_anonymous_visitors_are_asked_to_sign_in(client, founding_rules):
    html = client.get("/community/proposals/new/").content.decode()
    assert "Sign in to take part in the community" in html


def test_bob_proposes_from_the_form(members, founding_rules):
    bob = signed_in(members["bob"])
    form = bob.get("/community/proposals/new/?kind=amend&rule=3")
    assert "No personal data" in form.content.decode()  # prefilled with the current rule
    response = bob.post(
        "/community/proposals/new/",
        {
            "kind": "add",
            "guideline": "",
            "title": "No referral links",
            "text": "Do not post referral links.",
            "rationale": "They are ads dressed as help.",
            "discussion_days": "2",
        },
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/community/proposals/{proposal.pk}/"
    assert proposal.title == "No referral links"


def test_a_refused_proposal_keeps_the_form_with_the_reason(members, founding_rules):
    bob = signed_in(members["bob"])
    page = bob.post(
        "/community/proposals/new/",
        {
            "kind": "repeal",
            "guideline": "",
            "title": "",
            "text": "",
            "rationale": "Nobody needs it.",
            "discussion_days": "3",
        },
    )
    assert page.status_code == 200
    assert "say which rule to change or remove" in page.content.decode()


def test_dana_votes_and_changes_her_vote_from_the_page(members, new_rule_proposal):
    proposal = voting(new_rule_proposal)
    dana = signed_in(members["dana"])
    assert dana.post(f"/community/proposals/{proposal.pk}/vote/", {"choice": "yes"}).status_code == 302
    assert dana.post(f"/community/proposals/{proposal.pk}/vote/", {"choice": "abstain"}).status_code == 302
    assert ProposalVote.objects.get(proposal=proposal).choice == "abstain"
    html = dana.get(f"/community/proposals/{proposal.pk}/").content.decode()
    assert "Your vote: abstain" in html


def test_farid_sees_why_he_cannot_vote(members, new_rule_proposal):
    proposal = voting(new_rule_proposal)
    farid = signed_in(members["farid"])
    html = farid.get(f"/community/proposals/{proposal.pk}/").content.decode()
    assert "You need trust level 1 (basic) to vote on proposed community guidelines" in html
    refused = farid.post(f"/community/proposals/{proposal.pk}/vote/", {"choice": "yes"})
    assert refused.status_code == 403
    assert not ProposalVote.objects.exists()


def test_comment_open_voting_and_withdraw_from_the_page(members, new_rule_proposal, eve):
    farid = signed_in(members["farid"])
    assert (
        farid.post(f"/community/proposals/{new_rule_proposal.pk}/comments/", {"body": "I agree"}).status_code
        == 302
    )
    assert farid.post(f"/community/proposals/{new_rule_proposal.pk}/open-voting/").status_code == 403
    moderator = signed_in(eve)
    assert moderator.post(f"/community/proposals/{new_rule_proposal.pk}/open-voting/").status_code == 302
    assert Proposal.objects.get().status == ProposalStatus.VOTING
    assert farid.post(f"/community/proposals/{new_rule_proposal.pk}/withdraw/").status_code == 403
    bob = signed_in(members["bob"])
    assert bob.post(f"/community/proposals/{new_rule_proposal.pk}/withdraw/").status_code == 302
    assert Proposal.objects.get().status == ProposalStatus.WITHDRAWN


def test_forms_need_the_csrf_token(members, new_rule_proposal):
    dana = Client(enforce_csrf_checks=True)
    dana.login(username="dana", password=PASSWORD)
    assert (
        dana.post(f"/community/proposals/{new_rule_proposal.pk}/comments/", {"body": "hi"}).status_code == 403
    )


def test_the_pages_query_count_does_not_grow_with_comments(
    client, new_rule_proposal, farid, django_assert_max_num_queries
):
    for n in range(20):
        comment(farid, new_rule_proposal, f"comment {n}")
    with django_assert_max_num_queries(8):
        assert client.get(f"/community/proposals/{new_rule_proposal.pk}/").status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get("/community/proposals/").status_code == 200


def test_an_empty_post_shows_the_missing_fields(members, founding_rules):
    page = signed_in(members["bob"]).post("/community/proposals/new/", {})
    assert page.status_code == 200
    assert "This field is required." in page.content.decode()
    assert not Proposal.objects.exists()
