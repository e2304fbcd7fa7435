"""The guidelines API: public reads, proposals by trust level, votes, moderators open votes early."""

import pytest

from tests.community.guidelines.conftest import after, rule
from townsquare.community.guidelines.closing import close_due_proposals
from townsquare.community.models import Proposal, ProposalVote
from townsquare.people.tokens import create_token

API = "/api/v1/community"


def bearer(user) -> dict:
    return {"Authorization": f"Bearer {create_token(user, name='test')[1]}"}


def test_anyone_lists_the_guidelines_and_reads_a_history(client, founding_rules):
    listed = client.get(f"{API}/guidelines")
    assert listed.status_code == 200
    assert [(g["number"], g["title"]) for g in listed.json()][:2] == [(1, "Be kind"), (2, "Stay on topic")]
    one = client.get(f"{API}/guidelines/{rule(3).pk}").json()
    assert one["history"] == [
        {
            "version": 1,
            "title": "No personal data",
            "text": rule(3).text,
            "repealed": False,
            "adopted_at": one["history"][0]["adopted_at"],
            "proposal_id": None,
        }
    ]
    assert client.get(f"{API}/guidelines/999999").status_code == 404


def test_bob_proposes_an_amendment_over_the_api(client, members, founding_rules):
    response = client.post(
        f"{API}/proposals",
        {
            "kind": "amend",
            "guideline_id": rule(2).pk,
            "title": "Stay on topic",
            "text": "Post in the right space. Off-topic posts are moved.",
            "rationale": "Moving is kinder than deleting.",
            "discussion_days": 2,
        },
        content_type="application/json",
        headers=bearer(members["bob"]),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "discussion" and body["guideline_number"] == 2
    assert body["tally"]["threshold"] == pytest.approx(2 / 3)
    assert body["my_vote"] is None and body["rules"]


@pytest.mark.parametrize(
    "payload, status, detail",
    [
        (
            {"kind": "add", "title": "T", "text": "Some rule text.", "rationale": "Because it helps."},
            400,
            "title must have",
        ),
        (
            {"kind": "repeal", "guideline_id": 999999, "rationale": "Because it helps."},
            404,
            "guideline 999999 not found",
        ),
        (
            {
                "kind": "add",
                "title": "Title",
                "text": "Some rule text.",
                "rationale": "Because.",
                "discussion_days": 30,
            },
            422,
            None,
        ),
        ({"kind": "merge", "rationale": "Because it helps."}, 422, None),
    ],
)
def test_bad_proposals_get_a_clear_4xx(client, members, founding_rules, payload, status, detail):
    response = client.post(
        f"{API}/proposals", payload, content_type="application/json", headers=bearer(members["bob"])
    )
    assert response.status_code == status, response.content
    if detail:
        assert detail in response.json()["detail"]
    assert not Proposal.objects.exists()


def test_farid_gets_403_with_the_trust_level_he_needs(client, members, founding_rules):
    response = client.post(
        f"{API}/proposals",
        {"kind": "add", "title": "No links", "text": "Do not post links.", "rationale": "Spam is annoying."},
        content_type="application/json",
        headers=bearer(members["farid"]),
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "you need trust level 2 (member) to propose community guidelines"


def test_anonymous_writes_get_401(client, new_rule_proposal):
    response = client.post(
        f"{API}/proposals/{new_rule_proposal.pk}/votes", {"choice": "yes"}, content_type="application/json"
    )
    assert response.status_code == 401


def test_the_vote_cycle_over_the_api(client, members, new_rule_proposal, eve, voters):
    pk = new_rule_proposal.pk
    refused = client.post(
        f"{API}/proposals/{pk}/votes",
        {"choice": "yes"},
        content_type="application/json",
        headers=bearer(members["dana"]),
    )
    assert refused.status_code == 409  # still in discussion
    assert client.post(f"{API}/proposals/{pk}/open-voting", headers=bearer(members["bob"])).status_code == 403
    opened = client.post(f"{API}/proposals/{pk}/open-voting", headers=bearer(eve))
    assert opened.status_code == 200 and opened.json()["status"] == "voting"
    assert opened.json()["tally"]["quorum"] == 3
    for voter in voters[:3]:
        voted = client.post(
            f"{API}/proposals/{pk}/votes",
            {"choice": "yes"},
            content_type="application/json",
            headers=bearer(voter),
        )
        assert voted.status_code == 200
    changed = client.post(
        f"{API}/proposals/{pk}/votes",
        {"choice": "no"},
        content_type="application/json",
        headers=bearer(voters[0]),
    )
    assert (changed.json()["tally"]["yes"], changed.json()["tally"]["no"]) == (2, 1)
    assert ProposalVote.objects.filter(proposal_id=pk).count() == 3
    mine = client.get(f"{API}/proposals/{pk}", headers=bearer(voters[0])).json()
    assert mine["my_vote"] == "no"
    assert client.get(f"{API}/proposals/{pk}").json()["my_vote"] is None
    close_due_proposals(now=after(8))
    decided = client.get(f"{API}/proposals").json()
    assert [(p["id"], p["status"]) for p in decided] == [(pk, "adopted")]
    new_rule = [g for g in client.get(f"{API}/guidelines").json() if g["number"] == 5][0]
    history = client.get(f"{API}/guidelines/{new_rule['id']}").json()["history"]
    assert history[0]["proposal_id"] == pk


def test_comments_and_withdrawal_over_the_api(client, members, new_rule_proposal):
    pk = new_rule_proposal.pk
    made = client.post(
        f"{API}/proposals/{pk}/comments",
        {"body": "*Yes*"},
        content_type="application/json",
        headers=bearer(members["farid"]),
    )
    assert made.status_code == 201 and made.json()["body_html"] == "<p><em>Yes</em></p>\n"
    assert client.post(f"{API}/proposals/{pk}/withdraw", headers=bearer(members["dana"])).status_code == 403
    withdrawn = client.post(f"{API}/proposals/{pk}/withdraw", headers=bearer(members["bob"]))
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    late = client.post(
        f"{API}/proposals/{pk}/comments",
        {"body": "late"},
        content_type="application/json",
        headers=bearer(members["farid"]),
    )
    assert late.status_code == 409
    assert client.get(f"{API}/proposals/{pk}").json()["comments"][0]["body"] == "*Yes*"
    assert client.get(f"{API}/proposals/999999").status_code == 404
