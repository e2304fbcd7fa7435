"""Farid accepts Bob's answer; Dana (not the asker, not staff) cannot; one accepted answer at a time."""

import pytest

from townsquare.community.posting import answer
from townsquare.events.models import Event

from .conftest import API

pytestmark = pytest.mark.django_db


def test_farid_accepts_and_unaccepts(client, bearer, question, members):
    topic, reply = question
    headers = bearer(members["farid"])
    accepted = client.post(f"{API}/posts/{reply.pk}/accept", headers=headers)
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["accepted_post_id"] == reply.pk and accepted.json()["solved"] is True
    event = Event.objects.get(kind="community.answer_accepted")
    assert event.actor_id == members["farid"].pk and event.data["peer"] is True
    assert client.post(f"{API}/posts/{reply.pk}/accept", headers=headers).status_code == 409
    taken_back = client.delete(f"{API}/topics/{topic.pk}/accepted", headers=headers)
    assert taken_back.status_code == 200 and taken_back.json()["accepted_post_id"] is None
    assert client.delete(f"{API}/topics/{topic.pk}/accepted", headers=headers).status_code == 409


def test_only_the_asker_or_staff_accept(client, bearer, question, members, alice):
    topic, reply = question
    refused = client.post(f"{API}/posts/{reply.pk}/accept", headers=bearer(members["dana"]))
    assert refused.status_code == 403
    assert "only the person who asked" in refused.json()["detail"]
    other = answer(members["dana"], topic, "Update the firmware first.")
    assert client.post(f"{API}/posts/{other.pk}/accept", headers=bearer(alice)).status_code == 200
    assert client.post(f"{API}/posts/999999/accept", headers=bearer(alice)).status_code == 404
