"""Alice opens Dana's customer page: identities across channels, her conversations, her consent."""

from django.urls import reverse

from tests.api.factories import make_conversation, make_customer
from townsquare.inbox.models import Channel, ChannelKind
from townsquare.people.consent import record_consent
from townsquare.people.models import Identity


def url(customer) -> str:
    return reverse("web:customer", args=[customer.pk])


def test_customer_page_shows_identities_conversations_and_consent(
    client, alice, carol, dana, dana_conversation, twitter
):
    community = Channel.objects.create(name="community", kind=ChannelKind.COMMUNITY)
    Identity.objects.create(channel=twitter, external_id="t-1", handle="dana_tw", customer=dana)
    Identity.objects.create(channel=community, external_id="c-1", handle="dana_r", customer=dana)
    question = make_conversation(community, minutes=9, subject="How do I pair the buds?", customer=dana)
    record_consent(
        carol, dana, "support_followup", granted=True, source="email", wording="You may follow up by email."
    )

    client.force_login(alice)
    response = client.get(url(dana))
    assert response.status_code == 200
    body = response.content.decode()
    assert "@dana_tw" in body and "@dana_r" in body
    assert body.index("How do I pair the buds?") < body.index("my order arrived broken")
    assert reverse("web:conversation", args=[question.pk]) in body
    assert "You may follow up by email." in body and 'data-testid="consent-form"' in body


def test_conversation_page_links_to_customer_page(client, alice, dana, dana_conversation):
    client.force_login(alice)
    body = client.get(reverse("web:conversation", args=[dana_conversation.pk])).content.decode()
    assert url(dana) in body


def test_ambassador_and_moderator_cannot_open_customer_pages(client, bob, eve, dana, dana_conversation):
    for user in (bob, eve):
        client.force_login(user)
        assert client.get(url(dana)).status_code == 403


def test_unknown_or_invisible_customer_is_404(client, alice, grace):
    stranger = make_customer("Stranger")
    client.force_login(alice)
    assert client.get(url(stranger)).status_code == 404
    assert client.get("/customers/999999/").status_code == 404
    client.force_login(grace)
    assert client.get(url(stranger)).status_code == 200


def test_anonymous_goes_to_login(client, dana):
    response = client.get(url(dana))
    assert response.status_code == 302 and "login" in response["Location"]


def test_customer_page_query_count_does_not_grow_with_history(
    client, alice, carol, dana, dana_conversation, twitter
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(alice)
    client.get(url(dana))
    with CaptureQueriesContext(connection) as few:
        client.get(url(dana))
    for n in range(20):
        make_conversation(twitter, minutes=n + 1, subject=f"order {n}", customer=dana)
        Identity.objects.create(channel=twitter, external_id=f"alt-{n}", handle=f"dana{n}", customer=dana)
        record_consent(carol, dana, "offers", granted=n % 2 == 0, source="email", wording=f"answer {n}")
    with CaptureQueriesContext(connection) as many:
        body = client.get(url(dana)).content.decode()
    assert len(many) == len(few)
    assert "order 19" in body and "answer 19" in body
