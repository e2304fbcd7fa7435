"""In a manual queue agents pull the most urgent waiting conversation they can work on."""

from datetime import timedelta

import pytest

from tests.care.routing_helpers import T0, conv, events, on_duty, queue, team
from townsquare.api.errors import NotFound
from townsquare.care.claims import AtCapacity, NotAvailable, pull_next
from townsquare.care.models import Presence

pytestmark = pytest.mark.django_db


@pytest.fixture
def manual(db):
    return queue("Manual", mode="manual")


def test_alice_pulls_the_nearest_deadline_first_then_the_oldest(twitter, alice, manual):
    on_duty(alice, queues=[manual])
    old = conv(twitter, queue=manual)
    young = conv(twitter, queue=manual)
    due = conv(twitter, queue=manual, sla_due_at=T0 + timedelta(hours=1))
    assert pull_next(alice, manual).pk == due.pk
    assert pull_next(alice, manual).pk == old.pk
    assert pull_next(alice, manual).pk == young.pk
    assert pull_next(alice, manual) is None
    [assigned, *_] = events("conversation.assigned", due)
    assert assigned.data == {"assignee_id": alice.pk, "queue_id": manual.pk, "via": "claim"}
    assert assigned.actor_id == alice.pk


def test_pull_skips_languages_she_does_not_speak(twitter, alice, manual):
    on_duty(alice, queues=[manual])
    conv(twitter, queue=manual, language="es")
    german = conv(twitter, queue=manual, language="de")
    assert pull_next(alice, manual).pk == german.pk
    assert pull_next(alice, manual) is None


def test_a_full_or_away_agent_pulls_nothing(twitter, alice, bruno, manual):
    on_duty(alice, queues=[manual], capacity=0)
    on_duty(bruno, queues=[manual], presence=Presence.AWAY)
    conv(twitter, queue=manual)
    with pytest.raises(AtCapacity, match="capacity of 0"):
        pull_next(alice, manual)
    with pytest.raises(NotAvailable, match="away"):
        pull_next(bruno, manual)


def test_only_members_pull_from_a_queue(twitter, alice, bruno, carol, manual):
    on_duty(alice)
    conv(twitter, queue=manual)
    with pytest.raises(NotFound):
        pull_next(alice, manual)
    team("Devices", bruno).queues.add(manual)
    on_duty(bruno)
    assert pull_next(bruno, manual.pk) is not None  # a team member, by queue id
    with pytest.raises(NotFound):
        pull_next(alice, 999_999)
