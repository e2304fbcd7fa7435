"""The members API: public profiles, leaderboard and badges; moderators set trust levels; the
ambassador program for staff (invite, candidates), invitees (accept, decline) and managers (remove)."""

import pytest

from townsquare.community.accepting import accept
from townsquare.community.models import AmbassadorInvite, Member
from townsquare.community.posting import answer, ask
from townsquare.events.models import Event
from townsquare.people.models import Role, User
from townsquare.people.tokens import create_token

pytestmark = pytest.mark.django_db
API = "/api/v1/community"


def auth(user) -> dict:
    return {"Authorization": f"Bearer {create_token(user, 'test')[1]}"}


def test_anyone_reads_a_profile(client, devices_space, members):
    farid, bob = members["farid"], members["bob"]
    topic = ask(farid, devices_space, "My headphones will not pair", "They blink red and never connect.")
    accept(farid, answer(bob, topic, "Hold the power button for ten seconds, then pair them again."))
    body = client.get(f"{API}/members/{bob.pk}").json()
    assert body["reputation"] == 15 and body["counts"]["peer_resolutions"] == 1
    assert {b["badge"] for b in body["badges"]} == {"first-answer", "first-accepted"}
    assert body["recent_answers"][0]["accepted"] is True
    farid_body = client.get(f"{API}/members/{farid.pk}").json()
    assert farid_body["progress"]["next"] == 1
    assert [s["label"] for s in farid_body["progress"]["steps"]] == [
        "questions or answers posted",
        "days since joining",
        "reputation",
    ]
    assert farid_body["progress"]["steps"][2]["alternative"] is True
    assert client.get(f"{API}/members/999999").status_code == 404
    assert client.get(f"{API}/members/0").status_code == 422


def test_leaderboard_and_badges_are_public(client, devices_space, members):
    farid, bob = members["farid"], members["bob"]
    topic = ask(farid, devices_space, "Battery drains overnight", "Even when it is switched off.")
    accept(farid, answer(bob, topic, "Turn off the always-listening feature in the app."))
    board = client.get(f"{API}/leaderboard?period=all").json()
    assert [(row["rank"], row["username"], row["peer_resolutions"]) for row in board] == [(1, "bob", 1)]
    assert client.get(f"{API}/leaderboard?period=year").status_code == 422
    assert client.get(f"{API}/leaderboard?limit=0").status_code == 422
    badges = {b["badge"]: b["awarded"] for b in client.get(f"{API}/badges").json()}
    assert badges["first-accepted"] == 1 and badges["polyglot"] == 0


def test_moderators_set_trust_levels(client, members, eve):
    farid = members["farid"]
    response = client.post(
        f"{API}/members/{farid.pk}/trust-level",
        {"level": 3, "reason": "known helper"},
        content_type="application/json",
        headers=auth(eve),
    )
    assert response.status_code == 200 and response.json()["trust_level_locked"] is True
    assert Member.objects.get(user=farid).trust_level == 3
    refused = client.post(
        f"{API}/members/{farid.pk}/trust-level",
        {"level": 4},
        content_type="application/json",
        headers=auth(members["bob"]),
    )
    assert refused.status_code == 403 and "moderators" in refused.json()["detail"]
    bad = client.post(
        f"{API}/members/{farid.pk}/trust-level",
        {"level": 7},
        content_type="application/json",
        headers=auth(eve),
    )
    assert bad.status_code == 422


def test_invite_accept_and_remove_over_the_api(client, members, alice, carol):
    dana = members["dana"]
    sent = client.post(
        f"{API}/ambassadors/invites",
        {"user_id": dana.pk, "level": 1, "message": "Welcome"},
        content_type="application/json",
        headers=auth(alice),
    )
    assert sent.status_code == 201
    invite_id = sent.json()["id"]
    again = client.post(
        f"{API}/ambassadors/invites",
        {"user_id": dana.pk},
        content_type="application/json",
        headers=auth(alice),
    )
    assert again.status_code == 409
    assert (
        client.post(
            f"{API}/ambassadors/invites/{invite_id}/accept", headers=auth(members["farid"])
        ).status_code
        == 404
    )
    accepted = client.post(f"{API}/ambassadors/invites/{invite_id}/accept", headers=auth(dana))
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert User.objects.get(pk=dana.pk).role == Role.AMBASSADOR
    assert (
        client.post(f"{API}/ambassadors/invites/{invite_id}/decline", headers=auth(dana)).status_code == 409
    )
    assert client.delete(f"{API}/ambassadors/{dana.pk}", headers=auth(alice)).status_code == 403
    assert client.delete(f"{API}/ambassadors/{dana.pk}?reason=moved", headers=auth(carol)).status_code == 204
    assert User.objects.get(pk=dana.pk).role == Role.CUSTOMER
    assert client.delete(f"{API}/ambassadors/{dana.pk}", headers=auth(carol)).status_code == 409
    kinds = list(
        Event.objects.filter(kind__startswith="community.ambassador").values_list("kind", "actor_id")
    )
    assert kinds == [
        ("community.ambassador_invited", alice.pk),
        ("community.ambassador_joined", dana.pk),
        ("community.ambassador_removed", carol.pk),
    ]


def test_only_staff_see_candidates_and_invite(client, members):
    farid = members["farid"]
    assert client.get(f"{API}/ambassadors/candidates", headers=auth(farid)).status_code == 403
    assert client.get(f"{API}/ambassadors/candidates").status_code == 401
    response = client.post(
        f"{API}/ambassadors/invites",
        {"user_id": farid.pk},
        content_type="application/json",
        headers=auth(farid),
    )
    assert response.status_code == 403 and not AmbassadorInvite.objects.exists()
