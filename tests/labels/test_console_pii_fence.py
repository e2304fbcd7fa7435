"""Bob the ambassador reads community messages with personal data masked; Alice the agent sees it highlighted."""

import pytest
from django.urls import reverse

from tests.labels.console_factories import first_inbound, labelled
from tests.web.conftest import conversation
from townsquare.inbox.models import Channel, ChannelKind, Conversation

pytestmark = pytest.mark.django_db
TEXT = "Mail me at dana@example.com, card 4111 1111 1111 1111 please"
EMAIL = {"kind": "email", "start": 11, "end": 27}
CARD = {"kind": "card", "start": 34, "end": 53}


@pytest.fixture
def forum(db):
    return Channel.objects.create(name="community", kind=ChannelKind.COMMUNITY)


@pytest.fixture
def post(forum, bob):
    conv = conversation(forum, [("in", TEXT)], handle="dana", subject="Card dana@example.com")
    # Ambassadors see the community conversations routed to them (inbox.visibility).
    Conversation.objects.filter(pk=conv.pk).update(assignee=bob)
    return conv


def page(client, user, conv) -> str:
    client.force_login(user)
    response = client.get(reverse("web:conversation", args=[conv.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_bob_sees_stored_spans_masked(client, bob, post):
    labelled(first_inbound(post), pii=[EMAIL, CARD])
    body = page(client, bob, post)
    assert "Mail me at [email], card [card] please" in body
    assert "dana@example.com" not in body and "4111" not in body
    assert "Personal data (emails, phone numbers, card and account numbers) is hidden for your role." in body


def test_bob_sees_text_masked_while_triage_is_pending(client, bob, post):
    body = page(client, bob, post)
    assert 'data-testid="triage-pending"' in body
    assert "[email]" in body and "[card]" in body
    assert "dana@example.com" not in body and "4111" not in body


def test_bob_sees_text_masked_when_triage_failed(client, bob, post):
    labelled(first_inbound(post), kind="", status="failed", error="boom", pii=[])
    body = page(client, bob, post)
    assert "dana@example.com" not in body and "4111" not in body


def test_bob_sees_list_excerpts_and_subjects_masked(client, bob, forum):
    conversation(forum, [("in", "x" * 100 + " card 4111 1111 1111 1111")], handle="a", subject="")
    conversation(forum, [("in", "hi")], handle="b", subject="Reach me: dana@example.com")
    Conversation.objects.update(assignee=bob)  # routed to him
    client.force_login(bob)
    body = client.get(reverse("web:conversations")).content.decode()
    assert "dana@example.com" not in body and "4111" not in body
    assert "Reach me: [email]" in body


def test_alice_sees_personal_data_highlighted(client, alice, post):
    labelled(first_inbound(post), pii=[EMAIL, CARD])
    body = page(client, alice, post)
    assert '<mark class="pii" title="Personal data: email">' in body
    assert "dana@example.com</mark>" in body
    assert "4111 1111 1111 1111</mark>" in body
    assert "Card dana@example.com" in body  # the subject too
    assert "is hidden for your role" not in body


def test_alice_sees_pii_highlighted_before_triage_too(client, alice, post):
    body = page(client, alice, post)
    assert "dana@example.com</mark>" in body


def test_bob_cannot_search_for_personal_data(client, bob, alice, post):
    client.force_login(bob)
    response = client.get(reverse("web:conversations"), {"q": "dana@example.com"})
    assert response.status_code == 400
    assert "Your role cannot search for personal data" in response.content.decode()
    assert client.get(reverse("web:conversations"), {"q": "please"}).status_code == 200
    client.force_login(alice)
    assert [
        c.pk for c in client.get(reverse("web:conversations"), {"q": "dana@example.com"}).context["page"].rows
    ] == [post.pk]
