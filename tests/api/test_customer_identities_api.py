"""GET /api/v1/customers/{id}/identities: Alice (agent) sees Dana's identities on every channel with
the address behind each and whether it is verified; Bob (ambassador) only her community identity,
with the address masked."""

import pytest

from tests.people.merge_builders import channel, chat_channel, conversation_by, person
from townsquare.inbox.models import ChannelKind
from townsquare.people.merging import attach_email
from townsquare.people.models import Identity

pytestmark = pytest.mark.django_db


def url(customer_id) -> str:
    return f"/api/v1/customers/{customer_id}/identities"


@pytest.fixture
def dana():
    customer, chat = person(chat_channel(), "visitor-7")
    attach_email(chat, "Dana@Example.org", verified=True)
    community = channel("community", ChannelKind.COMMUNITY)
    forum = Identity.objects.create(
        channel=community, external_id="dana_o", handle="dana_o", display_name="Dana Ortiz", customer=customer
    )
    attach_email(forum, "dana@example.org", verified=False)
    conversation_by(chat)
    return customer, chat, forum, conversation_by(forum)


def test_staff_see_every_identity_with_its_email(client, bearer, alice, dana):
    customer, chat, forum, _ = dana

    response = client.get(url(customer.pk), headers=bearer(alice))

    assert response.status_code == 200
    body = response.json()
    assert body["customer_id"] == customer.pk and body["merged_into"] is None
    rows = {row["id"]: row for row in body["identities"]}
    assert rows[chat.pk]["email"] == "Dana@example.org" and rows[chat.pk]["email_verified"] is True
    assert rows[chat.pk]["channel_kind"] == "livechat" and rows[chat.pk]["channel_name"] == "site-chat"
    assert rows[forum.pk]["email"] == "dana@example.org" and rows[forum.pk]["email_verified"] is False


def test_an_ambassador_sees_only_community_identities_and_no_address(client, bearer, bob, dana):
    customer, _, forum, community_conversation = dana
    community_conversation.assignee = bob
    community_conversation.save()

    response = client.get(url(customer.pk), headers=bearer(bob))

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["identities"]] == [forum.pk]
    assert response.json()["identities"][0]["email"] == "[email]"
    assert "example.org" not in response.content.decode()


def test_a_customer_nobody_routed_to_the_ambassador_is_not_found(client, bearer, bob, dana):
    assert client.get(url(dana[0].pk), headers=bearer(bob)).status_code == 404


def test_a_merged_customer_names_its_survivor(client, bearer, grace, dana):
    customer, *_ = dana
    other, identity = person(chat_channel(), "visitor-8", created_minutes=30)
    attach_email(identity, "DANA@example.org", verified=True)

    body = client.get(url(other.pk), headers=bearer(grace)).json()

    assert body == {"customer_id": other.pk, "merged_into": customer.pk, "identities": []}


@pytest.mark.parametrize("bad", ["0", "-1", "abc", str(2**64)])
def test_bad_ids_are_refused_not_crashed(client, bearer, alice, bad):
    assert client.get(url(bad), headers=bearer(alice)).status_code in {404, 422}


def test_without_a_token_401_and_a_moderator_403(client, bearer, eve, dana):
    assert client.get(url(dana[0].pk)).status_code == 401
    assert client.get(url(dana[0].pk), headers=bearer(eve)).status_code == 403
