"""Farid asks, Bob and Dana answer; votes, helpful marks and the accept move reputation and counters."""

import pytest

from townsquare.community.accepting import accept, unaccept
from townsquare.community.ledger import Ledger
from townsquare.community.models import BadgeAward, Member
from townsquare.community.moderation.actions import moderate
from townsquare.community.posting import answer, ask
from townsquare.community.reputation import reputation_from_events
from townsquare.community.voting import mark_helpful, vote
from townsquare.events.models import Event

pytestmark = pytest.mark.django_db


def standing(user) -> Member:
    return Member.objects.get(user=user)


def test_votes_helpful_marks_and_accepting_move_reputation(devices_space, members, eve):
    farid, bob, dana = members["farid"], members["bob"], members["dana"]
    topic = ask(farid, devices_space, "My headphones will not pair", "They blink red and never connect.")
    reply = answer(bob, topic, "Hold the power button for ten seconds, then pair them again.")
    vote(dana, post=reply, value=1)
    vote(eve, topic=topic, value=1)
    mark_helpful(farid, reply)
    assert standing(bob).reputation == 10 + 5
    assert standing(farid).reputation == 5
    accept(farid, reply)
    bob_row, farid_row = standing(bob), standing(farid)
    assert (bob_row.reputation, bob_row.accepted_answers, bob_row.peer_resolutions) == (30, 1, 1)
    assert (bob_row.answers_posted, bob_row.helpful_received) == (1, 1)
    assert (farid_row.reputation, farid_row.topics_posted) == (7, 1)


def test_vote_changes_and_unaccept_reverse_exactly(devices_space, members, eve):
    farid, bob = members["farid"], members["bob"]
    topic = ask(farid, devices_space, "Battery drains overnight", "Even when it is switched off.")
    reply = answer(bob, topic, "Turn off the always-listening feature in the app settings.")
    vote(eve, post=reply, value=1)
    vote(eve, post=reply, value=-1)
    assert standing(bob).reputation == -2
    vote(eve, post=reply, value=0)
    accept(farid, reply)
    unaccept(eve, topic)
    mark_helpful(farid, reply)
    mark_helpful(farid, reply, helpful=False)
    bob_row, farid_row = standing(bob), standing(farid)
    assert (bob_row.reputation, bob_row.accepted_answers, bob_row.peer_resolutions) == (0, 0, 0)
    assert farid_row.reputation == 0
    events = Event.objects.filter(kind__startswith="community.").order_by("id")
    assert reputation_from_events(events).get(bob.pk, 0) == 0


def test_own_actions_never_count(devices_space, members, alice):
    """Alice (staff) answers her own question and accepts her answer: nothing is earned."""
    topic = ask(alice, devices_space, "How do I reset the hub?", "Asking for the FAQ.")
    reply = answer(alice, topic, "Hold the reset button for five seconds.")
    accept(alice, reply)
    assert standing(alice).reputation == 0 and standing(alice).accepted_answers == 0
    assert standing(alice).answers_posted == 1


def test_imported_history_counts(db, bob, farid):
    """The StackExchange importer writes vote totals and accepts; reputation folds them in."""
    events = [
        Event(
            kind="community.imported_votes",
            data={"beneficiary": bob.pk, "target": "post", "up": 3, "down": 1},
        ),
        Event(
            kind="community.imported_votes",
            data={"beneficiary": farid.pk, "target": "topic", "up": 2, "down": 0},
        ),
        Event(
            kind="community.answer_accepted",
            data={
                "topic": 1,
                "post": 2,
                "answerer": bob.pk,
                "asker": farid.pk,
                "peer": True,
                "imported": True,
            },
        ),
    ]
    assert reputation_from_events(events) == {bob.pk: 30 - 2 + 15, farid.pk: 10 + 2}


def test_a_held_answer_counts_once_a_moderator_approves_it(devices_space, members, eve, settings):
    farid, bob = members["farid"], members["bob"]
    topic = ask(farid, devices_space, "My headphones will not pair", "They blink red and never connect.")
    settings.COMMUNITY_SPAM_HOLD_PERCENT = 0  # triage holds everything from here on
    reply = answer(bob, topic, "Hold the power button for ten seconds, then pair them again.")
    assert reply.visibility == "held" and standing(bob).answers_posted == 0
    moderate(eve, "approve", post_id=reply.pk, reason="not spam")
    assert standing(bob).answers_posted == 1
    assert BadgeAward.objects.filter(user=bob, badge="first-answer").exists()
    events = Event.objects.filter(kind__startswith="community.").order_by("id")
    ledger = Ledger({})
    for event in events:
        ledger.feed(event)
    assert ledger.standing(bob.pk)["answers_posted"] == 1
    assert "first-answer" in ledger.badges[bob.pk]
