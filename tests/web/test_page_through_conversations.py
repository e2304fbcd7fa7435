"""Alice pages through a long list, newest activity first, 50 at a time, without slowing down."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.web.conftest import T0, conversation
from townsquare.inbox.models import Conversation
from townsquare.people.models import Customer
from townsquare.web.paging import PAGE_SIZE, Cursor

pytestmark = pytest.mark.django_db
URL = reverse("web:conversations")


def many(channel, n: int, same_time: bool = False) -> list[int]:
    """n conversations; returns their ids newest activity first (ties broken by higher id first)."""
    for i in range(n):
        start = T0 if same_time else T0 + timedelta(minutes=i)
        customer = Customer.objects.create(display_name=f"Customer {i}")
        conversation(
            channel,
            [("in", f"question {i}"), ("out", "answer")],
            customer=customer,
            handle=f"c{i}",
            start=start,
        )
    return list(Conversation.objects.order_by("-last_activity_at", "-id").values_list("pk", flat=True))


def rows(response) -> list[int]:
    return [c.pk for c in response.context["page"].rows]


@pytest.mark.parametrize("same_time", [False, True])
def test_pages_walk_older_and_back_newer_without_gaps_or_repeats(client, alice, twitter, same_time):
    expected = many(twitter, 2 * PAGE_SIZE + 7, same_time)
    client.force_login(alice)

    first = client.get(URL)
    assert rows(first) == expected[:PAGE_SIZE]
    second = client.get(URL, {"after": first.context["page"].older.encode()})
    assert rows(second) == expected[PAGE_SIZE : 2 * PAGE_SIZE]
    third = client.get(URL, {"after": second.context["page"].older.encode()})
    assert rows(third) == expected[2 * PAGE_SIZE :]
    assert third.context["page"].older is None

    back = client.get(URL, {"before": third.context["page"].newer.encode()})
    assert rows(back) == expected[PAGE_SIZE : 2 * PAGE_SIZE]
    top = client.get(URL, {"before": back.context["page"].newer.encode()})
    assert rows(top) == expected[:PAGE_SIZE]
    assert top.context["page"].is_first


def test_page_links_keep_the_filters(client, alice, twitter):
    many(twitter, PAGE_SIZE + 1)
    client.force_login(alice)
    body = client.get(URL, {"channel": "twitter", "q": "question"}).content.decode()
    assert "?channel=twitter&amp;q=question&amp;after=" in body


def test_cursor_round_trips():
    cursor = Cursor(T0 + timedelta(microseconds=123456), 42)
    assert Cursor.decode(cursor.encode()) == cursor


def test_cursor_past_the_end_shows_an_empty_page_with_a_way_back(client, alice, twitter):
    many(twitter, 3)
    client.force_login(alice)
    response = client.get(URL, {"after": Cursor(T0 - timedelta(days=1), 1).encode()})
    assert response.status_code == 200
    assert rows(response) == []
    assert "Back to the newest" in response.content.decode()


def list_queries(client, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, params or {}).status_code == 200
    return len(queries)


@pytest.mark.parametrize("params", [{}, {"q": "question", "channel": "twitter", "status": "new"}])
def test_query_count_does_not_grow_with_rows(client, alice, twitter, django_assert_max_num_queries, params):
    client.force_login(alice)
    many(twitter, 2)
    few = list_queries(client, params)
    many(twitter, PAGE_SIZE + 10)
    with django_assert_max_num_queries(few):
        response = client.get(URL, params)
    assert len(rows(response)) == PAGE_SIZE
    # session, user, channel menu, the user's queues (saved-view tabs; their counts come in a
    # second request), the newest event id for live updates, the page's ids, then its rows with
    # everything they show (and the channel a channel filter names)
    assert few <= 8
