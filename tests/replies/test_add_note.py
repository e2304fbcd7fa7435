"""Internal notes with @mentions: never sent, masked for ambassadors."""

import pytest

from townsquare.events.models import Event
from townsquare.inbox.models import Conversation, Message
from townsquare.inbox.visibility import Forbidden
from townsquare.replies.notes import add_note
from townsquare.replies.text import BadText


def test_alice_mentions_carol_and_bruno_and_unknown_handles_stay_text(alice, bruno, carol, farid, dana_asks):
    note = add_note(alice, dana_asks, "@carol can we refund? cc @Bruno, not @nobody nor @farid")
    assert sorted(user.username for user in note.mentions.all()) == ["bruno", "carol"]
    assert note.text.endswith("not @nobody nor @farid")
    event = Event.objects.get(kind="note.added")
    assert event.data == {"note_id": note.pk, "mentions": sorted([bruno.pk, carol.pk])}
    assert event.actor_id == alice.pk


def test_a_note_is_never_sent_to_the_customer(alice, dana_asks):
    add_note(alice, dana_asks, "Customer is upset, be gentle")
    assert not Message.objects.filter(direction="out").exists()
    assert Conversation.objects.get(pk=dana_asks.pk).message_count == 1


def test_empty_note_is_refused(alice, dana_asks):
    with pytest.raises(BadText):
        add_note(alice, dana_asks, "  ")


def test_bob_cannot_note_a_conversation_he_cannot_see(bob, dana_asks):
    with pytest.raises(Forbidden):
        add_note(bob, dana_asks, "hello")
