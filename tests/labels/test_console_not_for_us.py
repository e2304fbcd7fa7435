"""Spam and chatter that does not invite a reply leave the inbox for the "not for us" view, never deleted."""

from datetime import timedelta

import pytest
from django.urls import reverse

from tests.labels.console_factories import first_inbound, labelled
from tests.web.conftest import T0, conversation
from townsquare.inbox.models import Channel, ChannelKind, Conversation

pytestmark = pytest.mark.django_db
INBOX = reverse("web:conversations")
NOT_FOR_US = reverse("web:not-for-us")


@pytest.fixture
def community(db):
    return Channel.objects.create(name="community", kind=ChannelKind.COMMUNITY)


@pytest.fixture
def inbox(twitter, community):
    question = conversation(twitter, [("in", "How do I descale it?")], handle="dana")
    spam = conversation(
        twitter, [("in", "Cheap followers at bit.ly/x")], handle="bot", start=T0 + timedelta(hours=1)
    )
    chatter = conversation(
        twitter, [("in", "lol my cat likes the box more")], handle="lee", start=T0 + timedelta(hours=2)
    )
    forum_spam = conversation(
        community, [("in", "Buy now!!!")], handle="spammer", start=T0 + timedelta(hours=3)
    )
    labelled(first_inbound(question))
    labelled(first_inbound(spam), kind="spam", spam_score=0.98, invites_reply=False)
    labelled(first_inbound(chatter), kind="chatter", invites_reply=False)
    labelled(first_inbound(forum_spam), kind="spam", spam_score=0.99, invites_reply=False)
    return {"question": question, "spam": spam, "chatter": chatter, "forum_spam": forum_spam}


def listed(response) -> list[int]:
    return [c.pk for c in response.context["page"].rows]


def test_the_inbox_leaves_out_what_is_not_for_us(client, alice, inbox):
    client.force_login(alice)
    assert listed(client.get(INBOX)) == [inbox["question"].pk]


def test_the_not_for_us_view_lists_them_with_the_reason(client, alice, inbox):
    client.force_login(alice)
    response = client.get(NOT_FOR_US)
    assert response.status_code == 200
    assert listed(response) == [inbox["forum_spam"].pk, inbox["chatter"].pk, inbox["spam"].pk]
    body = response.content.decode()
    assert "Why not for us" in body
    assert body.count('data-testid="not-for-us-reason">Spam<') == 2
    assert 'data-testid="not-for-us-reason">Chatter that does not invite a reply<' in body
    assert Conversation.objects.count() == 4  # set aside, never deleted


def test_the_not_for_us_view_takes_the_same_filters(client, alice, inbox):
    client.force_login(alice)
    assert listed(client.get(NOT_FOR_US, {"kind": "chatter"})) == [inbox["chatter"].pk]
    assert client.get(NOT_FOR_US, {"kind": "nonsense"}).status_code == 400


def test_a_conversation_with_one_message_for_us_stays_in_the_inbox(client, alice, twitter):
    mixed = conversation(twitter, [("in", "Buy followers"), ("in", "Actually, my order never came")])
    spam, real = mixed.messages.order_by("id")
    labelled(spam, kind="spam", invites_reply=False)
    labelled(real, kind="problem")
    client.force_login(alice)
    assert listed(client.get(INBOX)) == [mixed.pk]
    assert listed(client.get(NOT_FOR_US)) == []


def test_ambassadors_see_only_community_conversations_that_are_not_for_us(client, bob, inbox):
    # Ambassadors see the community conversations routed to them (inbox.visibility).
    Conversation.objects.filter(pk__in=[inbox["forum_spam"].pk, inbox["spam"].pk]).update(assignee=bob)
    client.force_login(bob)
    assert listed(client.get(NOT_FOR_US)) == [inbox["forum_spam"].pk]


def test_customers_cannot_open_it(client, farid, inbox):
    client.force_login(farid)
    response = client.get(NOT_FOR_US)
    assert response.status_code == 403
    assert "no access to the care console" in response.content.decode()
