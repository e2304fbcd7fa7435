"""Farid accepts an answer: his care conversation is resolved. A member's answer is a peer
resolution; withdrawing the acceptance reopens the conversation."""

import pytest

from tests.care.routing_helpers import events
from tests.community.conftest import at_trust_level
from townsquare.community.accepting import accept, unaccept
from townsquare.community.posting import answer

pytestmark = pytest.mark.django_db


def status_of(topic):
    topic.refresh_from_db()
    topic.conversation.refresh_from_db()
    return topic.conversation.status


def test_a_peer_answer_accepted_is_a_peer_resolution(farids_question, members):
    dana = members["dana"]
    post = answer(dana, farids_question, "Hold both buttons for ten seconds, then pair again.")
    accept(members["farid"], post)
    assert status_of(farids_question) == "resolved"
    conversation = farids_question.conversation
    changes = [
        (e.data["from"], e.data["to"], e.actor_id)
        for e in events("conversation.status_changed", conversation)
    ]
    assert changes == [("new", "open", None), ("open", "resolved", None)]
    [peer] = events("community.peer_resolution", conversation)
    assert peer.actor_id == members["farid"].pk
    assert peer.data["answerer"] == dana.pk and peer.data["topic"] == farids_question.pk

    unaccept(members["farid"], farids_question)
    assert status_of(farids_question) == "open"


def test_a_staff_answer_resolves_without_a_peer_resolution(farids_question, members, alice):
    at_trust_level(alice, 2)
    accept(members["farid"], answer(alice, farids_question, "Please update the firmware from the app."))
    assert status_of(farids_question) == "resolved"
    assert events("community.peer_resolution") == []
