"""On a conversation page Alice sees who the customer is on each channel and their other conversations."""

import pytest
from django.urls import reverse

from tests.web.care_builders import care_conversation
from tests.web.conftest import identity
from townsquare.inbox.models import Channel, ChannelKind, Conversation
from townsquare.people.models import Customer
from townsquare.web.customer_profile import HISTORY_LIMIT

pytestmark = pytest.mark.django_db


def page(client, conv):
    return client.get(reverse("web:conversation", args=[conv.pk]))


@pytest.fixture
def email(db):
    return Channel.objects.create(name="email", kind=ChannelKind.EMAIL)


def test_identities_across_channels_and_history_with_status(client, alice, twitter, email, dana):
    identity(email, "dana@example.org", dana)
    current = care_conversation(twitter, "Blender broken", customer=dana)
    earlier = care_conversation(
        email, "Refund?", customer=dana, status="resolved", subject="Refund for order 77"
    )
    client.force_login(alice)
    response = page(client, current)
    profile = response.context["profile"]
    assert {i.channel.name for i in profile.identities} == {"email", "twitter"}
    assert [i.channel.name for i in profile.identities][0] == "email"  # by channel name
    assert [c.pk for c in profile.history] == [earlier.pk]
    body = response.content.decode()
    assert "dana@example.org" in body and "@dana_o" in body
    assert "Refund for order 77" in body and 'class="status status-resolved">Resolved<' in body
    assert reverse("web:customer", args=[dana.pk]) in body


def test_history_is_capped_at_the_newest(client, alice, twitter, dana):
    for i in range(HISTORY_LIMIT + 2):
        care_conversation(twitter, f"question {i}", customer=dana, minutes_ago=100 - i)
    current = care_conversation(twitter, "now", customer=dana)
    client.force_login(alice)
    response = page(client, current)
    assert len(response.context["profile"].history) == HISTORY_LIMIT
    assert f"Showing the newest {HISTORY_LIMIT}." in response.content.decode()


def test_ambassador_sees_only_what_is_routed_to_him_and_no_personal_data(client, bob, community, twitter):
    farid = Customer.objects.create(display_name="Farid")
    identity(twitter, "farid_tw", farid)
    mine = care_conversation(community, "Kettle question, mail me at farid@example.org", customer=farid)
    other = care_conversation(
        community, "Other forum question", customer=farid, subject="Call +44 20 7946 0958"
    )
    staff_only = care_conversation(twitter, "On twitter", customer=farid)
    Conversation.objects.filter(pk__in=[mine.pk, other.pk]).update(assignee=bob)
    client.force_login(bob)

    listing = client.get(reverse("web:conversations")).content.decode()
    assert "farid@example.org" not in listing and "[email]" in listing
    assert "7946" not in listing

    body = page(client, mine).content.decode()
    assert "farid@example.org" not in body
    assert "7946" not in body  # the other conversation's subject in the history is masked too
    assert "farid_tw" not in body  # an identity on a channel he cannot see
    assert f"#{staff_only.pk}</span>" not in body
    assert reverse("web:customer", args=[farid.pk]) not in body
    assert page(client, staff_only).status_code == 404
