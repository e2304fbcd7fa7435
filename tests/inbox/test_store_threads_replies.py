"""Storing messages threads replies into their parent's conversation, whatever the arrival order."""

import pytest

from townsquare.events.models import Event
from townsquare.inbox.ingest.store import store_messages
from townsquare.inbox.models import Conversation, Message
from townsquare.people.models import Identity

from .helpers import msg

pytestmark = pytest.mark.django_db


def conversation_of(channel, external_id):
    return Message.objects.get(channel=channel, external_id=external_id).conversation_id


def test_a_reply_joins_its_parents_conversation_in_the_same_batch(twitter):
    result = store_messages(
        twitter,
        [
            msg("2", parent="1", author="Brand", direction="out", minute=3),
            msg("1"),
            msg("3", parent="2", minute=9),
        ],
        source="test",
    )
    assert (result.stored, result.duplicates, result.conversations_created) == (3, 0, 1)
    conversation = Conversation.objects.get()
    assert conversation.message_count == 3
    assert conversation.root_message.external_id == "1"
    assert conversation.customer.identities.get().external_id == "dana"
    assert (conversation.started_at.minute, conversation.last_activity_at.minute) == (0, 9)
    assert Message.objects.get(external_id="3").parent.external_id == "2"
    assert Identity.objects.get(external_id="Brand").is_brand


def test_a_reply_in_a_later_batch_joins_the_stored_conversation(twitter):
    store_messages(twitter, [msg("1")], source="test")
    store_messages(twitter, [msg("2", parent="1", author="Brand", direction="out", minute=5)], source="test")
    conversation = Conversation.objects.get()
    assert conversation.message_count == 2
    assert conversation.last_activity_at.minute == 5
    assert conversation_of(twitter, "2") == conversation.pk


def test_a_reply_that_arrives_before_its_parent_is_reattached_when_the_parent_comes(twitter):
    store_messages(
        twitter,
        [msg("3", parent="2", minute=9), msg("4", parent="3", author="Brand", direction="out", minute=10)],
        source="test",
    )
    store_messages(twitter, [msg("1")], source="test")
    assert Conversation.objects.count() == 2  # the parent of 3 (message 2) is still missing
    store_messages(twitter, [msg("2", parent="1", author="Brand", direction="out", minute=3)], source="test")

    conversation = Conversation.objects.get()
    assert {conversation_of(twitter, e) for e in "1234"} == {conversation.pk}
    assert conversation.message_count == 4
    assert (conversation.started_at.minute, conversation.last_activity_at.minute) == (0, 10)
    assert Message.objects.get(external_id="3").parent.external_id == "2"
    merged = Event.objects.get(kind="conversation.merged")
    assert merged.data["into"] == conversation.pk and merged.data["moved_messages"] == 2


def test_storing_the_same_messages_again_stores_nothing_new(twitter):
    batch = [msg("1"), msg("2", parent="1", author="Brand", direction="out")]
    store_messages(twitter, batch, source="test")
    again = store_messages(twitter, batch + [msg("1")], source="test")
    assert (again.stored, again.duplicates) == (0, 3)
    assert [o[1] for o in again.outcomes] == ["duplicate"] * 3
    assert Message.objects.count() == 2
    assert Event.objects.filter(kind="message.received").count() == 2
    twitter.refresh_from_db()
    assert (twitter.messages_stored, twitter.messages_duplicate) == (2, 3)


def test_duplicates_inside_one_batch_are_stored_once(twitter):
    result = store_messages(twitter, [msg("1"), msg("1", text="changed")], source="test")
    assert (result.stored, result.duplicates) == (1, 1)
    assert [o[1] for o in result.outcomes] == ["stored", "duplicate"]
    assert result.outcomes[0][2] == result.outcomes[1][2]
    assert Message.objects.get().text == "message 1"


def test_every_stored_message_and_new_conversation_writes_an_event(twitter):
    store_messages(twitter, [msg("1"), msg("2", parent="1", author="Brand", direction="out")], source="test")
    kinds = sorted(Event.objects.values_list("kind", flat=True))
    assert kinds == ["conversation.created", "message.received", "message.received"]
    received = Event.objects.filter(kind="message.received").order_by("message_id")
    assert [e.data["direction"] for e in received] == ["in", "out"]
    assert all(e.conversation_id == Conversation.objects.get().pk for e in received)


def test_a_reply_cycle_in_bad_data_does_not_hang(twitter):
    result = store_messages(twitter, [msg("a", parent="b"), msg("b", parent="a")], source="test")
    assert result.stored == 2
    assert Conversation.objects.count() == 1


def test_the_same_author_is_one_customer_across_batches(twitter):
    store_messages(twitter, [msg("1", author="farid")], source="test")
    store_messages(twitter, [msg("2", author="farid")], source="test")
    customers = {c.customer_id for c in Conversation.objects.all()}
    assert len(customers) == 1 and None not in customers
