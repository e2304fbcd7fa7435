"""Reading a topic logs `community.topic_viewed` once per visitor, in the view counter's transaction,
and a new conversation names its customer, so insights can tell readers who still wrote to us."""

import pytest
from django.test import Client

from tests.inbox.helpers import msg
from townsquare.community.accepting import accept
from townsquare.community.members import member_of
from townsquare.community.models import Space, Topic
from townsquare.community.posting import answer, ask
from townsquare.community.views.topic import topic_url
from townsquare.events.models import Event
from townsquare.inbox.ingest.store import store_messages
from townsquare.inbox.models import Channel, ChannelKind, Conversation
from townsquare.insights.models import TopicViewFact
from townsquare.insights.projection import refresh
from townsquare.people.models import Customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def space(db):
    channel = Channel.objects.create(name="community", kind=ChannelKind.COMMUNITY)
    return Space.objects.create(slug="devices", name="Devices", language="en", channel=channel)


@pytest.fixture
def solved(space, farid, bob):
    topic = ask(farid, space, "My headphones will not pair", "They blink red and never connect.")
    accept(farid, answer(bob, topic, "Hold the power button for ten seconds, then pair again."))
    return Topic.objects.get(pk=topic.pk)


def viewed() -> list[dict]:
    return [event.data for event in Event.objects.filter(kind="community.topic_viewed").order_by("pk")]


def test_a_member_reading_twice_is_logged_once_with_their_customer(solved, alice):
    customer = Customer.objects.create(display_name="Alice at home")
    reader = member_of(alice)
    reader.customer = customer
    reader.save(update_fields=["customer"])
    client = Client()
    client.force_login(alice)
    client.get(topic_url(solved))
    client.get(topic_url(solved))
    assert viewed() == [
        {
            "topic": solved.pk,
            "viewer": f"m:{reader.pk}",
            "member_id": reader.pk,
            "customer_id": customer.pk,
            "solved": True,
        }
    ]
    assert Topic.objects.get(pk=solved.pk).view_count == 1
    refresh()
    fact = TopicViewFact.objects.exclude(topic_id=0).get()  # topic 0: contact marks
    assert (fact.topic_id, fact.viewer, fact.customer_id) == (solved.pk, f"m:{reader.pk}", customer.pk)


def test_anonymous_readers_are_counted_by_a_hash_never_the_raw_token(solved):
    first, second = Client(), Client()
    first.get(topic_url(solved))
    first.get(topic_url(solved))
    second.get(topic_url(solved))
    events = viewed()
    assert len(events) == 2
    keys = [event["viewer"] for event in events]
    assert keys[0] != keys[1]
    assert all(key.startswith("a:") and len(key) == 34 for key in keys)
    assert all(event["member_id"] is None and event["customer_id"] is None for event in events)
    cookie = first.cookies["community_seen"].value
    token = next(part for part in cookie.split(":")[0].split(".") if part.startswith("v"))
    assert token not in str(events)


def test_a_topic_without_an_accepted_answer_is_logged_as_unsolved_and_not_folded(space, farid):
    topic = ask(farid, space, "Which charger do I need?", "The box had none.")
    Client().get(topic_url(topic))
    assert [event["solved"] for event in viewed()] == [False]
    refresh()
    assert not TopicViewFact.objects.exclude(topic_id=0).exists()


def test_a_new_conversation_names_its_customer():
    twitter = Channel.objects.create(name="twitter", kind=ChannelKind.WEBHOOK)
    store_messages(twitter, [msg("1"), msg("2", parent="1", author="Brand", direction="out")], source="test")
    created = Event.objects.get(kind="conversation.created")
    conversation = Conversation.objects.get()
    assert conversation.customer_id is not None
    assert created.data["customer_id"] == conversation.customer_id
