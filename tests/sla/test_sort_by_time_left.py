"""Carol lists conversations by time left: breached first, then the nearest deadline, no clock last."""

import pytest

from tests.sla.helpers import MONDAY_9, converse, minutes
from townsquare.inbox.models import Conversation
from townsquare.sla.ordering import by_time_left

URL = "/api/v1/conversations"
pytestmark = pytest.mark.django_db


def with_due(channel, due):
    conversation = converse(channel, ("in", MONDAY_9))
    Conversation.objects.filter(pk=conversation.pk).update(sla_due_at=due)
    return conversation.pk


def walk(client, headers, limit, **params):
    ids, cursor = [], None
    while True:
        query = {"sort": "time_left", "limit": limit, **params, **({"cursor": cursor} if cursor else {})}
        response = client.get(URL, query, headers=headers)
        assert response.status_code == 200, response.content
        body = response.json()
        ids += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            return ids


@pytest.fixture
def inbox(twitter):
    """Conversations with deadlines in a shuffled order, ties, and some without a clock."""
    dues = [30, None, -10, 30, 5, None, 30, 120, -10, None, 5]
    return [(with_due(twitter, None if d is None else MONDAY_9 + minutes(d)), d) for d in dues]


def expected(inbox):
    timed = sorted(((d, cid) for cid, d in inbox if d is not None))
    return [cid for _, cid in timed] + sorted(cid for cid, d in inbox if d is None)


def test_the_nearest_deadline_comes_first_and_no_clock_last(client, carol, bearer, inbox):
    body = client.get(URL, {"sort": "time_left"}, headers=bearer(carol)).json()
    assert [item["id"] for item in body["items"]] == expected(inbox)
    assert body["items"][0]["sla_due_at"] is not None
    assert body["items"][-1]["sla_due_at"] is None


@pytest.mark.parametrize("limit", [1, 2, 3, 4, 7])
def test_every_page_size_walks_each_conversation_once_in_order(client, carol, bearer, inbox, limit):
    assert walk(client, bearer(carol), limit) == expected(inbox)


def test_the_default_sort_is_still_newest_activity(client, carol, bearer, inbox):
    body = client.get(URL, headers=bearer(carol)).json()
    activity = sorted(Conversation.objects.values_list("last_activity_at", "id"), reverse=True)
    assert [item["id"] for item in body["items"]] == [cid for _, cid in activity]


def test_filters_combine_with_the_sort(client, carol, bearer, inbox):
    Conversation.objects.filter(pk=inbox[4][0]).update(status="pending")
    ids = walk(client, bearer(carol), 2, status="pending")
    assert ids == [inbox[4][0]]


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "urgency"},
        {"sort": "time_left", "cursor": "garbage"},
        {"sort": "time_left", "cursor": "WyJjb252ZXJzYXRpb25zIiwiMjAyNi0xMS0yM1QwOTowMDowMCswMDowMCIsMV0"},
    ],
)
def test_bad_sort_or_cursor_is_a_clear_4xx(client, carol, bearer, inbox, params):
    response = client.get(URL, params, headers=bearer(carol))
    assert response.status_code in (400, 422)
    assert response.json()["detail"]


def test_an_activity_cursor_is_not_accepted_for_time_left(client, carol, bearer, inbox):
    cursor = client.get(URL, {"limit": 2}, headers=bearer(carol)).json()["next_cursor"]
    response = client.get(URL, {"sort": "time_left", "cursor": cursor}, headers=bearer(carol))
    assert response.status_code == 400


def test_the_console_helper_orders_the_same_way(inbox):
    assert list(by_time_left(Conversation.objects.all()).values_list("id", flat=True)) == expected(inbox)
