"""The API for queues, agents and assignment: what each role may do, and bad input answered
with 4xx and a reason (unknown ids 404, wrong types 422, forbidden 403, taken 409), never 500."""

import pytest

from tests.api.conftest import bearer  # noqa: F401 - the fixture
from tests.care.routing_helpers import conv, on_duty, owner, queue
from townsquare.care.models import AgentProfile, Presence, Queue

pytestmark = pytest.mark.django_db
API = "/api/v1"


def test_alice_claims_through_the_api_and_bruno_gets_409(client, twitter, alice, bruno, bearer):  # noqa: F811
    on_duty(alice)
    on_duty(bruno)
    waiting = conv(twitter)
    response = client.post(f"{API}/conversations/{waiting.pk}/claim", headers=bearer(alice))
    assert response.status_code == 200
    assert response.json()["assignee_id"] == alice.pk and response.json()["escalation_level"] == "agent"
    taken = client.post(f"{API}/conversations/{waiting.pk}/claim", headers=bearer(bruno))
    assert taken.status_code == 409 and "already assigned to alice" in taken.json()["detail"]
    assert client.post(f"{API}/conversations/999999/claim", headers=bearer(alice)).status_code == 404
    assert client.post(f"{API}/conversations/abc/claim", headers=bearer(alice)).status_code == 422
    listed = client.get(f"{API}/conversations", {"assignee": "me"}, headers=bearer(alice)).json()["items"]
    assert [(c["id"], c["assignee"]["username"]) for c in listed] == [(waiting.pk, "alice")]
    assert (
        client.get(f"{API}/conversations", {"assignee": "none"}, headers=bearer(alice)).json()["items"] == []
    )
    assert (
        client.get(f"{API}/conversations", {"assignee": "someone"}, headers=bearer(alice)).status_code == 422
    )


def test_carol_assigns_with_force_and_unassigns(client, twitter, carol, alice, bruno, bearer):  # noqa: F811
    on_duty(alice, capacity=0)
    waiting = conv(twitter)
    url = f"{API}/conversations/{waiting.pk}/assign"
    full = client.post(url, {"assignee_id": alice.pk}, content_type="application/json", headers=bearer(carol))
    assert full.status_code == 409 and "capacity" in full.json()["detail"]
    forced = client.post(
        url, {"assignee_id": alice.pk, "force": True}, content_type="application/json", headers=bearer(carol)
    )
    assert forced.status_code == 200 and owner(waiting) == alice
    bad = [{"assignee_id": "alice"}, {}, {"assignee_id": 0}, {"assignee_id": alice.pk, "force": "maybe"}]
    for body in bad:
        assert (
            client.post(url, body, content_type="application/json", headers=bearer(carol)).status_code == 422
        )
    assert (
        client.post(
            url, {"assignee_id": 999999}, content_type="application/json", headers=bearer(carol)
        ).status_code
        == 404
    )
    by_agent = client.post(
        url, {"assignee_id": bruno.pk}, content_type="application/json", headers=bearer(bruno)
    )
    assert by_agent.status_code == 409 or by_agent.status_code == 403
    other = client.post(
        url, {"assignee_id": alice.pk}, content_type="application/json", headers=bearer(bruno)
    )
    assert other.status_code == 403
    released = client.post(f"{API}/conversations/{waiting.pk}/unassign?reason=shift", headers=bearer(carol))
    assert released.status_code == 200 and released.json()["assignee_id"] is None
    again = client.post(f"{API}/conversations/{waiting.pk}/unassign", headers=bearer(carol))
    assert again.status_code == 409


def test_queues_are_managed_by_supervisors_and_admins(client, carol, alice, grace, bearer):  # noqa: F811
    body = {
        "name": "Spanish",
        "rules": {"language": "es"},
        "routing_mode": "round_robin",
        "required_skills": ["billing"],
    }
    assert (
        client.post(f"{API}/queues", body, content_type="application/json", headers=bearer(alice)).status_code
        == 403
    )
    made = client.post(f"{API}/queues", body, content_type="application/json", headers=bearer(carol))
    assert made.status_code == 201
    queue_id = made.json()["id"]
    assert made.json()["rules"] == {"language": ["es"]} and made.json()["waiting"] == 0
    dup = client.post(f"{API}/queues", body, content_type="application/json", headers=bearer(grace))
    assert dup.status_code == 409
    bad_rules = client.post(
        f"{API}/queues",
        {"name": "X", "rules": {"colour": "red"}},
        content_type="application/json",
        headers=bearer(grace),
    )
    assert bad_rules.status_code == 400 and "unknown rule 'colour'" in bad_rules.json()["detail"]
    bad_kind = client.post(
        f"{API}/queues",
        {"name": "X", "rules": {"kind": "rant"}},
        content_type="application/json",
        headers=bearer(grace),
    )
    assert bad_kind.status_code == 400 and "'rant' is not one of" in bad_kind.json()["detail"]
    wrong_type = client.post(
        f"{API}/queues",
        {"name": "X", "routing_mode": "random"},
        content_type="application/json",
        headers=bearer(grace),
    )
    assert wrong_type.status_code == 422
    no_team = client.post(
        f"{API}/queues", {"name": "X", "team_id": 999}, content_type="application/json", headers=bearer(grace)
    )
    assert no_team.status_code == 400 and "team 999 does not exist" in no_team.json()["detail"]
    patched = client.patch(
        f"{API}/queues/{queue_id}",
        {"position": 5, "is_active": False},
        content_type="application/json",
        headers=bearer(carol),
    )
    assert patched.status_code == 200 and patched.json()["position"] == 5 and not patched.json()["is_active"]
    assert (
        client.patch(
            f"{API}/queues/{queue_id}", {"rules": []}, content_type="application/json", headers=bearer(carol)
        ).status_code
        == 422
    )
    assert (
        client.patch(
            f"{API}/queues/999999", {"position": 1}, content_type="application/json", headers=bearer(carol)
        ).status_code
        == 404
    )
    assert (
        client.patch(
            f"{API}/queues/{queue_id}",
            {"position": 1},
            content_type="application/json",
            headers=bearer(alice),
        ).status_code
        == 403
    )
    assert [q["name"] for q in client.get(f"{API}/queues", headers=bearer(grace)).json()] == ["Spanish"]
    assert client.get(f"{API}/queues", headers=bearer(alice)).json() == []  # not one of hers
    assert client.delete(f"{API}/queues/{queue_id}", headers=bearer(alice)).status_code == 403
    assert client.delete(f"{API}/queues/{queue_id}", headers=bearer(carol)).status_code == 204
    assert not Queue.objects.exists()


def test_pull_from_a_manual_queue(client, twitter, alice, bruno, bearer):  # noqa: F811
    manual = queue("Manual", mode="manual")
    on_duty(alice, queues=[manual])
    waiting = conv(twitter, queue=manual)
    pulled = client.post(f"{API}/queues/{manual.pk}/pull", headers=bearer(alice))
    assert pulled.status_code == 200 and pulled.json()["conversation_id"] == waiting.pk
    assert client.post(f"{API}/queues/{manual.pk}/pull", headers=bearer(alice)).status_code == 204
    assert client.post(f"{API}/queues/{manual.pk}/pull", headers=bearer(bruno)).status_code == 404
    AgentProfile.objects.filter(user=alice).update(presence=Presence.AWAY)
    assert client.post(f"{API}/queues/{manual.pk}/pull", headers=bearer(alice)).status_code == 409


def test_agents_list_presence_and_changes(client, twitter, alice, carol, bob, bearer):  # noqa: F811
    general = queue("General")
    on_duty(alice, capacity=3, queues=[general])
    conv(twitter, assignee=alice)
    me = client.post(
        f"{API}/agents/me/presence",
        {"presence": "away"},
        content_type="application/json",
        headers=bearer(alice),
    )
    assert me.status_code == 200 and me.json()["presence"] == "away"
    assert (
        client.post(
            f"{API}/agents/me/presence",
            {"presence": "asleep"},
            content_type="application/json",
            headers=bearer(alice),
        ).status_code
        == 422
    )
    listed = {a["username"]: a for a in client.get(f"{API}/agents", headers=bearer(carol)).json()}
    assert (listed["alice"]["load"], listed["alice"]["capacity"], listed["alice"]["queue_ids"]) == (
        1,
        3,
        [general.pk],
    )
    assert client.get(f"{API}/agents", headers=bearer(bob)).status_code == 403
    url = f"{API}/agents/{alice.pk}"
    changed = client.patch(
        url,
        {"capacity": 8, "skills": ["refunds", "refunds"], "queue_ids": []},
        content_type="application/json",
        headers=bearer(carol),
    )
    assert changed.status_code == 200
    assert (changed.json()["capacity"], changed.json()["skills"], changed.json()["queue_ids"]) == (
        8,
        ["refunds"],
        [],
    )
    assert (
        client.patch(
            url, {"capacity": -1}, content_type="application/json", headers=bearer(carol)
        ).status_code
        == 422
    )
    assert (
        client.patch(
            url, {"capacity": "lots"}, content_type="application/json", headers=bearer(carol)
        ).status_code
        == 422
    )
    missing_queue = client.patch(
        url, {"queue_ids": [999]}, content_type="application/json", headers=bearer(carol)
    )
    assert missing_queue.status_code == 400 and "queue 999 does not exist" in missing_queue.json()["detail"]
    assert (
        client.patch(url, {"capacity": 1}, content_type="application/json", headers=bearer(alice)).status_code
        == 403
    )
    assert (
        client.patch(
            f"{API}/agents/999999", {"capacity": 1}, content_type="application/json", headers=bearer(carol)
        ).status_code
        == 404
    )
