"""Dana's chat was answered by email and she replied by email: on the conversation page each message
says which channel it came through, in the same number of queries however many channels are mixed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.people.merge_builders import channel, chat_channel, conversation_by, email_channel, person, write
from townsquare.inbox.models import ChannelKind

pytestmark = pytest.mark.django_db


def labels(body: str) -> list[str]:
    return [
        part.split(">", 1)[1].split("<", 1)[0] for part in body.split('data-testid="message-channel"')[1:]
    ]


def queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.fixture
def chat_answered_by_email():
    _, visitor = person(chat_channel(), "visitor-7")
    conversation = conversation_by(visitor, texts=("is the B-200 back in stock?",))
    write(conversation, visitor, "We will email you", seconds=1, direction="out", channel=chat_channel())
    write(conversation, visitor, "Thanks, got your email", seconds=2, channel=email_channel())
    return conversation


def test_each_message_shows_its_channel(client, alice, chat_answered_by_email):
    client.force_login(alice)
    body = client.get(reverse("web:conversation", args=[chat_answered_by_email.pk])).content.decode()
    assert labels(body) == ["Live chat · site-chat", "Live chat · site-chat", "Email · support-mail"]
    assert 'data-kind="email"' in body and 'data-kind="livechat"' in body


def test_more_channels_cost_no_more_queries(client, alice, chat_answered_by_email):
    client.force_login(alice)
    url = reverse("web:conversation", args=[chat_answered_by_email.pk])
    few = queries(client, url)
    _, visitor = person(chat_channel(), "visitor-8")
    for n in range(6):
        other = channel(f"fedi-{n}", ChannelKind.FEDIVERSE)
        write(chat_answered_by_email, visitor, f"from {other.name}", seconds=10 + n, channel=other)
    assert queries(client, url) == few


def test_an_ambassador_sees_the_kind_but_not_the_name_of_a_staff_channel(client, bob):
    community = channel("community", ChannelKind.COMMUNITY)
    _, member = person(community, "dana_o")
    conversation = conversation_by(member, texts=("my buds will not pair",))
    write(conversation, member, "sent from my mail", seconds=1, channel=email_channel())
    conversation.assignee = bob
    conversation.save()
    client.force_login(bob)
    body = client.get(reverse("web:conversation", args=[conversation.pk])).content.decode()
    assert labels(body) == ["Community · community", "Email"]
    assert "support-mail" not in body


def test_the_side_panel_shows_each_identitys_email_to_staff_only(client, alice, bob):
    from townsquare.people.merging import attach_email

    community = channel("community", ChannelKind.COMMUNITY)
    _, member = person(community, "dana_o")
    attach_email(member, "dana@example.org", verified=True)
    conversation = conversation_by(member, texts=("my buds will not pair",))
    conversation.assignee = bob
    conversation.save()
    url = reverse("web:conversation", args=[conversation.pk])

    client.force_login(alice)
    body = client.get(url).content.decode()
    assert 'data-testid="customer-identity-email">dana@example.org<' in body and "verified-badge" in body
    client.force_login(bob)
    body = client.get(url).content.decode()
    assert "dana@example.org" not in body and 'data-testid="customer-identity-email"' not in body
