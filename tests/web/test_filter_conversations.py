"""Alice narrows the conversation list by channel, status and text."""

from datetime import timedelta

import pytest
from django.urls import reverse

from tests.web.conftest import T0, conversation
from townsquare.inbox.models import Conversation
from townsquare.people.models import Customer

pytestmark = pytest.mark.django_db
URL = reverse("web:conversations")


@pytest.fixture
def inbox(twitter, hook, community, dana):
    farida = Customer.objects.create(display_name="Farida Haddad")
    return {
        "broken": conversation(
            twitter,
            [("in", "My blender arrived broken"), ("out", "Sorry! DM us")],
            customer=dana,
            status="open",
        ),
        "refund": conversation(
            hook,
            [("in", "Where is my refund?")],
            customer=farida,
            handle="farida_h",
            start=T0 + timedelta(hours=1),
        ),
        "forum": conversation(
            community,
            [("in", "How do I descale the kettle?")],
            customer=Customer.objects.create(),
            handle="kettlefan",
            start=T0 + timedelta(hours=2),
        ),
    }


def listed(response) -> list[int]:
    return [c.pk for c in response.context["page"].rows]


def test_without_filters_all_visible_conversations_are_listed_newest_first(client, alice, inbox):
    client.force_login(alice)
    response = client.get(URL)
    assert listed(response) == [inbox["forum"].pk, inbox["refund"].pk, inbox["broken"].pk]


def test_filter_by_channel(client, alice, inbox):
    client.force_login(alice)
    assert listed(client.get(URL, {"channel": "shop-webhook"})) == [inbox["refund"].pk]


def test_filter_by_status(client, alice, inbox):
    client.force_login(alice)
    assert listed(client.get(URL, {"status": "open"})) == [inbox["broken"].pk]
    assert listed(client.get(URL, {"status": "closed"})) == []


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("BLENDER", "broken"),  # message text, any case
        ("dm us", "broken"),  # a brand reply's text
        ("farida", "refund"),  # customer name
        ("dana_o", "broken"),  # the customer's handle on a channel
        ("@kettlefan", "forum"),  # a handle typed with its @
    ],
)
def test_search_matches_text_customer_name_and_handle(client, alice, inbox, q, expected):
    client.force_login(alice)
    assert listed(client.get(URL, {"q": q})) == [inbox[expected].pk]


def test_search_lists_a_conversation_once_however_many_messages_match(client, alice, twitter, dana):
    conv = conversation(
        twitter, [("in", "broken lid"), ("in", "broken base"), ("in", "broken cord")], customer=dana
    )
    client.force_login(alice)
    assert listed(client.get(URL, {"q": "broken"})) == [conv.pk]


def test_filters_combine(client, alice, inbox):
    client.force_login(alice)
    assert listed(client.get(URL, {"channel": "twitter", "q": "refund"})) == []
    assert listed(client.get(URL, {"channel": "twitter", "status": "open", "q": "blender"})) == [
        inbox["broken"].pk
    ]


def test_htmx_request_gets_only_the_results_partial(client, alice, inbox):
    client.force_login(alice)
    response = client.get(URL, {"channel": "twitter"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body and 'role="search"' not in body
    assert "My blender arrived broken" in body and "Where is my refund" not in body
    assert "HX-Request" in response["Vary"]


def test_full_page_has_htmx_filters_and_keeps_the_chosen_values(client, alice, inbox):
    client.force_login(alice)
    body = client.get(URL, {"channel": "twitter", "q": "blender"}).content.decode()
    assert "<html" in body and "htmx.min.js" in body
    assert 'hx-get="/"' in body and 'hx-push-url="true"' in body and 'hx-target="#results"' in body
    assert '<option value="twitter" selected>' in body
    assert 'value="blender"' in body


def test_history_restore_gets_the_full_page(client, alice, inbox):
    client.force_login(alice)
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    assert "<html" in client.get(URL, headers=headers).content.decode()


def test_row_shows_excerpt_customer_channel_status_and_count(client, alice, inbox):
    client.force_login(alice)
    body = client.get(URL, {"channel": "twitter"}).content.decode()
    assert "My blender arrived broken" in body  # no subject: the first message stands in
    assert "Dana Ortiz" in body and "@dana" in body
    assert ">twitter<" in body and ">Open<" in body
    assert '<td class="num">2</td>' in body


def test_subject_is_shown_when_there_is_one(client, alice, twitter):
    conversation(twitter, [("in", "It arrived in pieces")], subject="Broken blender, order 1234")
    client.force_login(alice)
    body = client.get(URL).content.decode()
    assert "Broken blender, order 1234" in body
    assert '<span class="excerpt">It arrived in pieces</span>' in body


def test_ambassador_sees_only_community_conversations_and_channels(client, bob, inbox):
    # Ambassadors see the community conversations routed to them (inbox.visibility).
    Conversation.objects.filter(pk__in=[inbox["forum"].pk, inbox["broken"].pk]).update(assignee=bob)
    client.force_login(bob)
    response = client.get(URL)
    assert listed(response) == [inbox["forum"].pk]
    body = response.content.decode()
    assert 'value="community"' in body and 'value="twitter"' not in body


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"status": "bogus"}, "Status: Select a valid choice"),
        ({"channel": "nowhere"}, "Channel: Select a valid choice"),
        ({"after": "abc"}, "This page link is not valid"),
        ({"before": "12.x"}, "This page link is not valid"),
        ({"q": "x" * 201}, "Search: Ensure this value has at most 200 characters"),
    ],
)
def test_bad_filter_values_answer_400_with_the_reason(client, alice, inbox, params, message):
    client.force_login(alice)
    response = client.get(URL, params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_ambassador_cannot_filter_by_a_channel_they_cannot_see(client, bob, inbox):
    client.force_login(bob)
    assert client.get(URL, {"channel": "twitter"}).status_code == 400


def test_unknown_parameters_and_page_numbers_are_ignored(client, alice, inbox):
    client.force_login(alice)
    response = client.get(URL, {"page": "abc", "sort": "whatever"})
    assert response.status_code == 200
    assert len(listed(response)) == 3


def test_empty_results_say_whether_filters_are_the_reason(client, alice, twitter):
    client.force_login(alice)
    assert "No conversations yet." in client.get(URL).content.decode()
    assert "No conversations match these filters." in client.get(URL, {"q": "nothing"}).content.decode()
