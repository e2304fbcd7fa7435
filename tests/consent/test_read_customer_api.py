"""GET /api/v1/customers/{id}: one person across channels, their conversations and consent."""

from tests.api.factories import make_conversation
from townsquare.inbox.models import Channel, ChannelKind
from townsquare.people.consent import record_consent
from townsquare.people.models import Identity


def url(customer_id) -> str:
    return f"/api/v1/customers/{customer_id}"


def dana_everywhere(dana, twitter):
    """Dana on the tweet import (with her email in her display name) and in the community."""
    community = Channel.objects.create(name="community", kind=ChannelKind.COMMUNITY)
    Identity.objects.create(
        channel=twitter,
        external_id="t-1",
        handle="@dana",
        display_name="Dana dana@example.com",
        customer=dana,
    )
    Identity.objects.create(
        channel=community, external_id="c-1", handle="dana_r", display_name="Dana R", customer=dana
    )
    tweet = make_conversation(twitter, subject="broken order, call me 555-123-4567", customer=dana)
    question = make_conversation(community, minutes=5, subject="How do I pair the buds?", customer=dana)
    return tweet, question


def test_agent_sees_identities_conversations_and_consent(client, bearer, alice, carol, dana, twitter):
    tweet, question = dana_everywhere(dana, twitter)
    record_consent(carol, dana, "offers", granted=True, source="livechat", wording="Offers: yes")

    response = client.get(url(dana.pk), headers=bearer(alice))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["display_name"] == "Dana"
    assert [(i["channel_name"], i["handle"]) for i in body["identities"]] == [
        ("community", "dana_r"),
        ("twitter", "@dana"),
    ]
    assert "dana@example.com" in body["identities"][1]["display_name"]
    assert [c["id"] for c in body["conversations"]] == [question.pk, tweet.pk]
    assert body["consent"]["offers"]["granted"] is True and body["consent"]["product_news"] is None


def test_ambassador_sees_community_only_behind_pii_fence_and_no_consent(
    client, bearer, bob, carol, dana, twitter
):
    tweet, question = dana_everywhere(dana, twitter)
    # Both routed to Bob; the tweet is still not his to see (not a community conversation).
    for conversation in (tweet, question):
        conversation.assignee = bob
        conversation.save(update_fields=["assignee"])
    record_consent(
        carol, dana, "offers", granted=True, source="livechat", wording="Offers to dana@example.com"
    )

    body = client.get(url(dana.pk), headers=bearer(bob)).json()
    assert [i["channel_name"] for i in body["identities"]] == ["community"]
    assert [c["id"] for c in body["conversations"]] == [question.pk]
    assert body["consent"] is None
    assert "dana@example.com" not in str(body) and "555-123-4567" not in str(body)


def test_ambassador_cannot_look_up_customer_outside_the_community(client, bearer, bob, dana, twitter):
    tweet = make_conversation(twitter, subject="my order", customer=dana)
    tweet.assignee = bob
    tweet.save(update_fields=["assignee"])
    assert client.get(url(dana.pk), headers=bearer(bob)).status_code == 404


def test_unknown_customer_is_404_and_moderator_403(client, bearer, alice, eve, dana):
    assert client.get(url(999_999), headers=bearer(alice)).status_code == 404
    assert client.get(url(dana.pk), headers=bearer(eve)).status_code == 403


def test_only_admin_sees_customer_without_visible_conversation(client, bearer, alice, carol, grace, dana):
    assert client.get(url(dana.pk), headers=bearer(alice)).status_code == 404
    assert client.get(url(dana.pk), headers=bearer(carol)).status_code == 404
    assert client.get(url(dana.pk), headers=bearer(grace)).status_code == 200
