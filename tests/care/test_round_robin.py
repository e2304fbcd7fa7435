"""A round-robin queue deals conversations in turn, skipping whoever cannot take one now."""

import pytest

from tests.care.routing_helpers import conv, on_duty, owner, queue
from townsquare.care.models import Presence
from townsquare.care.routing import route

pytestmark = pytest.mark.django_db


def test_conversations_are_dealt_in_turn_and_the_turn_is_remembered(twitter, alice, bruno, carol):
    turns = queue("Turns", mode="round_robin")
    for person in (alice, bruno, carol):
        on_duty(person, capacity=10, queues=[turns])
    first = [conv(twitter) for _ in range(4)]
    route([c.pk for c in first])
    assert [owner(c) for c in first] == [alice, bruno, carol, alice]
    later = conv(twitter)
    route([later.pk])  # a new batch continues where the last one stopped
    assert owner(later) == bruno
    turns.refresh_from_db()
    assert turns.last_assignee == bruno


def test_the_turn_skips_who_is_away_full_or_lacks_the_language(twitter, alice, bruno, carol):
    turns = queue("Turns", mode="round_robin")
    on_duty(alice, queues=[turns], presence=Presence.AWAY)
    on_duty(bruno, queues=[turns], capacity=1)
    on_duty(carol, queues=[turns])
    spanish, english, more = conv(twitter, language="es"), conv(twitter), conv(twitter)
    route([spanish.pk, english.pk, more.pk])
    assert owner(spanish) == bruno  # Carol has no Spanish
    assert owner(english) == carol
    assert owner(more) == carol  # Bruno is full, Alice away
