"""Farid asks in the community: his question becomes a care conversation on the space's community
channel, written by his community identity, which is linked to his customer record."""

import pytest

from tests.care.routing_helpers import events, owner
from townsquare.care.escalation import current_level
from townsquare.care.routing import route
from townsquare.community.members import member_of
from townsquare.community.models import Space
from townsquare.community.posting import ask
from townsquare.inbox.models import ChannelKind, Message
from townsquare.people.models import Identity

pytestmark = pytest.mark.django_db


def test_the_question_is_stored_through_ingest_as_an_inbound_message(farids_question, members, devices_space):
    farids_question.refresh_from_db()
    conversation = farids_question.conversation
    assert conversation is not None
    [message] = Message.objects.filter(conversation=conversation)
    assert message.external_id == f"topic:{farids_question.pk}"
    assert message.channel_id == devices_space.channel_id and message.direction == "in"
    assert message.text.startswith("My headphones will not pair with my phone\n\nThey blink red")
    assert conversation.subject == "My headphones will not pair with my phone"
    assert message.author.external_id == f"community:{members['farid'].pk}"
    # The customer's community account links to their identities in care.
    member = member_of(members["farid"])
    member.refresh_from_db()
    assert member.customer is not None
    assert message.author.customer == member.customer == conversation.customer
    [received] = events("message.received", conversation)
    assert received.data["source"] == "community"


def test_a_second_question_is_the_same_customer(farids_question, members, devices_space):
    second = ask(members["farid"], devices_space, "And the charging case?", "It does not charge at all.")
    farids_question.refresh_from_db()
    second.refresh_from_db()
    assert second.conversation_id != farids_question.conversation_id
    assert second.conversation.customer_id == farids_question.conversation.customer_id
    assert Identity.objects.filter(external_id=f"community:{members['farid'].pk}").count() == 1


def test_a_space_without_a_channel_gets_its_own_community_channel(members):
    space = Space.objects.create(slug="tv", name="TV")
    topic = ask(members["dana"], space, "¿Cómo actualizo mi televisor?", "No encuentro el menú.")
    space.refresh_from_db()
    topic.refresh_from_db()
    assert space.channel.kind == ChannelKind.COMMUNITY and space.channel.name == "community-tv"
    assert topic.conversation.channel_id == space.channel_id


def test_community_questions_go_to_the_ambassadors_first(
    farids_question, care_desk, bob, django_capture_on_commit_callbacks
):
    farids_question.refresh_from_db()
    conversation = farids_question.conversation
    assert current_level(conversation) == "ambassador"
    route([conversation.pk])
    assert owner(conversation) == bob
    conversation.refresh_from_db()
    assert conversation.queue == care_desk["community"] and conversation.escalation_level == "ambassador"


def test_discussions_and_staff_questions_stay_in_the_community(members, devices_space, alice):
    from tests.community.conftest import at_trust_level

    discussion = ask(
        members["dana"],
        devices_space,
        "Show us your setups",
        "Mine is a TV and two speakers.",
        kind="discussion",
    )
    at_trust_level(alice, 2)
    staff_question = ask(alice, devices_space, "Which features do you want next?", "Tell us in the answers.")
    for topic in (discussion, staff_question):
        topic.refresh_from_db()
        assert topic.conversation_id is None
