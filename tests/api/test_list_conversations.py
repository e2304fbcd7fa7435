"""Alice lists conversations through the API: newest activity first, filtered, page by page."""

import pytest

from tests.api.factories import make_conversation, make_customer, routed_to
from townsquare.inbox.models import Channel, ChannelKind

URL = "/api/v1/conversations"


def walk(client, headers, url, limit):
    """Every item of every page, following next_cursor."""
    items, cursor, pages = [], None, 0
    while True:
        params = {"limit": limit, **({"cursor": cursor} if cursor else {})}
        response = client.get(url, params, headers=headers)
        assert response.status_code == 200, response.content
        body = response.json()
        items += body["items"]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return items, pages


def test_anonymous_caller_is_asked_to_authenticate(client, db):
    response = client.get(URL)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["detail"]


def test_a_bad_token_is_refused(client, db):
    response = client.get(URL, headers={"Authorization": "Bearer ts_not-a-real-token"})
    assert response.status_code == 401


def test_farid_the_customer_has_no_console_access(client, farid, twitter, bearer):
    make_conversation(twitter)
    response = client.get(URL, headers=bearer(farid))
    assert response.status_code == 403
    assert "console" in response.json()["detail"]


def test_newest_activity_comes_first(client, alice, twitter, bearer):
    old = make_conversation(twitter, minutes=0)
    new = make_conversation(twitter, minutes=30)
    middle = make_conversation(twitter, minutes=10)
    body = client.get(URL, headers=bearer(alice)).json()
    assert [c["id"] for c in body["items"]] == [new.pk, middle.pk, old.pk]
    assert body["next_cursor"] is None
    assert body["items"][0]["channel"] == {"id": twitter.pk, "name": "twitter", "kind": "import"}


def test_walking_every_page_returns_each_conversation_once(client, alice, twitter, bearer):
    # Ties on last_activity_at cross page boundaries: the id breaks them.
    conversations = [make_conversation(twitter, minutes=n // 3, texts=()) for n in range(23)]
    items, pages = walk(client, bearer(alice), URL, limit=5)
    ids = [c["id"] for c in items]
    assert pages == 5
    assert len(ids) == len(set(ids)) == 23
    expected = sorted(conversations, key=lambda c: (c.last_activity_at, c.pk), reverse=True)
    assert ids == [c.pk for c in expected]


def test_rows_arriving_during_the_walk_do_not_shift_pages(client, alice, twitter, bearer):
    for n in range(6):
        make_conversation(twitter, minutes=n, texts=())
    headers = bearer(alice)
    first = client.get(URL, {"limit": 3}, headers=headers).json()
    make_conversation(twitter, minutes=100, texts=())  # newer than everything: belongs before page 1
    second = client.get(URL, {"limit": 3, "cursor": first["next_cursor"]}, headers=headers).json()
    seen = [c["id"] for c in first["items"] + second["items"]]
    assert len(set(seen)) == 6


@pytest.mark.parametrize("cursor", ["garbage", "eyJ4IjoxfQ", "W10", "a" * 300])
def test_a_bad_cursor_is_a_clear_400(client, alice, bearer, cursor):
    response = client.get(URL, {"cursor": cursor}, headers=bearer(alice))
    assert response.status_code in (400, 422)
    assert "cursor" in response.content.decode()


def test_a_cursor_from_another_list_is_refused(client, alice, twitter, bearer):
    conversation = make_conversation(twitter, texts=("a", "b", "c"))
    headers = bearer(alice)
    thread = client.get(f"{URL}/{conversation.pk}/messages", {"limit": 1}, headers=headers).json()
    response = client.get(URL, {"cursor": thread["next_cursor"]}, headers=headers)
    assert response.status_code == 400


@pytest.mark.parametrize("limit", [0, 201, -1, "ten"])
def test_limit_must_be_between_1_and_200(client, alice, bearer, limit):
    response = client.get(URL, {"limit": limit}, headers=bearer(alice))
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "limit"]


def test_filters(client, alice, twitter, hook, bearer):
    dana = make_customer("Dana")
    by_dana = make_conversation(twitter, customer=dana, minutes=1, subject="Router broken")
    pending = make_conversation(hook, status="pending", minutes=2, texts=("my invoice is wrong",))
    late = make_conversation(twitter, minutes=60)
    headers = bearer(alice)

    def ids(**params):
        response = client.get(URL, params, headers=headers)
        assert response.status_code == 200, response.content
        return [c["id"] for c in response.json()["items"]]

    assert ids(channel=hook.pk) == [pending.pk]
    assert ids(status="pending") == [pending.pk]
    assert ids(customer=dana.pk) == [by_dana.pk]
    assert ids(q="router") == [by_dana.pk]  # subject, any case
    assert ids(q="INVOICE") == [pending.pk]  # message text
    assert ids(updated_since="2026-11-20T10:30:00Z") == [late.pk]
    assert ids(updated_since="2026-11-20T10:30:00") == [late.pk]  # no offset: UTC
    assert client.get(URL, {"status": "nonsense"}, headers=headers).status_code == 422
    assert client.get(URL, {"updated_since": "yesterday"}, headers=headers).status_code == 422


def test_bob_the_ambassador_sees_only_community_conversations(client, bob, twitter, bearer):
    community = Channel.objects.create(name="forum", kind=ChannelKind.COMMUNITY)
    visible = routed_to(make_conversation(community), bob)
    make_conversation(community)  # not routed to Bob
    make_conversation(twitter)
    body = client.get(URL, headers=bearer(bob)).json()
    assert [c["id"] for c in body["items"]] == [visible.pk]


def test_the_console_session_can_list_too(client, carol, twitter):
    make_conversation(twitter)
    client.force_login(carol)
    assert len(client.get(URL).json()["items"]) == 1


def test_listing_makes_a_constant_number_of_queries(
    client, alice, twitter, hook, bearer, django_assert_max_num_queries
):
    for n in range(30):
        make_conversation(twitter if n % 2 else hook, minutes=n, customer=make_customer(f"c{n}"), texts=())
    headers = bearer(alice)
    client.get(URL, headers=headers)  # stamps last_used_at once
    # token lookup + the page's ids + its rows (channel and customer joined in)
    with django_assert_max_num_queries(3):
        response = client.get(URL, {"limit": 30}, headers=headers)
    assert len(response.json()["items"]) == 30
