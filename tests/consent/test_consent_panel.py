"""Alice opens Dana's conversation: the consent panel shows each purpose, records an answer, keeps history."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from townsquare.people.consent import has_consent, record_consent

WORDING = "Yes, send me offers and discount codes by email."


def page(conversation) -> str:
    return reverse("web:conversation", args=[conversation.pk])


def form(customer) -> str:
    return reverse("web:record-consent", args=[customer.pk])


def test_panel_shows_state_per_purpose_and_history(client, alice, carol, dana, dana_conversation):
    record_consent(carol, dana, "offers", granted=True, source="livechat", wording=WORDING)
    client.force_login(alice)
    body = client.get(page(dana_conversation)).content.decode()
    assert 'data-testid="consent-panel"' in body
    offers = body[body.index('data-testid="consent-offers"') :]
    assert "Opted in" in offers[:400] and "Live chat" in offers[:400]
    product_news = body[body.index('data-testid="consent-product_news"') :]
    assert "Never asked" in product_news[:300]
    assert WORDING in body and "recorded by Carol" in body


def test_agent_records_a_grant_from_the_conversation_page(client, alice, dana, dana_conversation):
    client.force_login(alice)
    data = {
        "purpose": "offers",
        "granted": "yes",
        "source": "console",
        "wording": WORDING,
        "next": page(dana_conversation),
    }
    response = client.post(form(dana), data)
    assert response.status_code == 302 and response["Location"] == page(dana_conversation)
    assert has_consent(dana, "offers")
    body = client.get(page(dana_conversation)).content.decode()
    assert "Recorded: Dana granted offers." in body


def test_revocation_from_the_form(client, carol, dana, dana_conversation):
    record_consent(carol, dana, "offers", granted=True, source="livechat", wording=WORDING)
    client.force_login(carol)
    client.post(
        form(dana), {"purpose": "offers", "granted": "no", "source": "email", "wording": "Unsubscribe"}
    )
    assert not has_consent(dana, "offers")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"purpose": "newsletter", "granted": "yes", "source": "console", "wording": WORDING},
            "unknown purpose",
        ),
        ({"purpose": "offers", "granted": "yes", "source": "console", "wording": "  "}, "exact wording"),
        ({"purpose": "offers", "source": "console", "wording": WORDING}, "granted or revoked"),
    ],
)
def test_bad_form_is_400_with_message_and_nothing_recorded(
    client, alice, dana, dana_conversation, data, message
):
    client.force_login(alice)
    response = client.post(form(dana), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not has_consent(dana, "offers")


def test_open_redirect_is_refused(client, alice, dana, dana_conversation):
    client.force_login(alice)
    data = {
        "purpose": "offers",
        "granted": "yes",
        "source": "console",
        "wording": WORDING,
        "next": "https://evil.example/",
    }
    response = client.post(form(dana), data)
    assert response["Location"] == reverse("web:customer", args=[dana.pk])


def test_ambassador_sees_no_panel_and_cannot_post(client, bob, carol, dana, dana_conversation, twitter):
    from tests.api.factories import make_conversation
    from townsquare.inbox.models import Channel, ChannelKind

    community = Channel.objects.create(name="community", kind=ChannelKind.COMMUNITY)
    question = make_conversation(community, subject="pairing?", customer=dana)
    question.assignee = bob
    question.save(update_fields=["assignee"])
    record_consent(carol, dana, "offers", granted=True, source="email", wording="Offers to dana@example.com")
    client.force_login(bob)
    body = client.get(page(question)).content.decode()
    assert 'data-testid="consent-panel"' not in body and "dana@example.com" not in body
    data = {"purpose": "offers", "granted": "no", "source": "console", "wording": "no"}
    assert client.post(form(dana), data).status_code == 403
    assert has_consent(dana, "offers")


def test_panel_costs_one_query_whatever_the_history(client, alice, carol, dana, dana_conversation):
    client.force_login(alice)
    record_consent(carol, dana, "offers", granted=True, source="email", wording=WORDING)
    client.get(page(dana_conversation))
    with CaptureQueriesContext(connection) as few:
        client.get(page(dana_conversation))
    for n in range(30):
        record_consent(carol, dana, "product_news", granted=n % 2 == 0, source="email", wording=f"answer {n}")
    with CaptureQueriesContext(connection) as many:
        body = client.get(page(dana_conversation)).content.decode()
    assert len(many) == len(few)
    assert "Full history on the customer page" in body
