"""Alice opens one conversation and reads its messages in order."""

from tests.api.factories import make_conversation, make_customer, routed_to
from townsquare.inbox.models import Channel, ChannelKind


def test_alice_reads_a_conversation_with_customer_channel_and_counts(client, alice, twitter, bearer):
    dana = make_customer("Dana")
    conversation = make_conversation(twitter, customer=dana, subject="Router", texts=("q", "a", "q2"))
    response = client.get(f"/api/v1/conversations/{conversation.pk}", headers=bearer(alice))
    assert response.status_code == 200
    body = response.json()
    assert body["customer"] == {"id": dana.pk, "display_name": "Dana"}
    assert body["channel"]["name"] == "twitter"
    assert body["counts"] == {"total": 3, "inbound": 2, "outbound": 1}


def test_unknown_conversation_is_404(client, alice, bearer):
    response = client.get("/api/v1/conversations/999999", headers=bearer(alice))
    assert response.status_code == 404
    assert response.json() == {"detail": "conversation 999999 not found"}


def test_farid_gets_403_and_anonymous_401(client, farid, twitter, bearer):
    conversation = make_conversation(twitter)
    for url in (
        f"/api/v1/conversations/{conversation.pk}",
        f"/api/v1/conversations/{conversation.pk}/messages",
    ):
        assert client.get(url, headers=bearer(farid)).status_code == 403
        assert client.get(url).status_code == 401


def test_bob_cannot_open_a_care_conversation(client, bob, twitter, bearer):
    care = make_conversation(twitter)
    forum = Channel.objects.create(name="forum", kind=ChannelKind.COMMUNITY)
    community = routed_to(make_conversation(forum), bob)
    someone_elses = make_conversation(forum)
    headers = bearer(bob)
    assert client.get(f"/api/v1/conversations/{care.pk}", headers=headers).status_code == 404
    assert client.get(f"/api/v1/conversations/{care.pk}/messages", headers=headers).status_code == 404
    assert client.get(f"/api/v1/conversations/{someone_elses.pk}", headers=headers).status_code == 404
    assert client.get(f"/api/v1/conversations/{community.pk}", headers=headers).status_code == 200


def test_messages_come_oldest_first_page_by_page(client, alice, twitter, bearer):
    conversation = make_conversation(twitter, texts=[f"line {n}" for n in range(7)])
    make_conversation(twitter, texts=("someone else",))
    headers = bearer(alice)
    texts, cursor = [], None
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        body = client.get(f"/api/v1/conversations/{conversation.pk}/messages", params, headers=headers).json()
        texts += [m["text"] for m in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert texts == [f"line {n}" for n in range(7)]


def test_reading_messages_makes_a_constant_number_of_queries(
    client, alice, twitter, bearer, django_assert_max_num_queries
):
    conversation = make_conversation(twitter, texts=[f"line {n}" for n in range(40)])
    headers = bearer(alice)
    client.get("/api/v1/conversations", headers=headers)  # stamps last_used_at once
    # token + conversation + the page's ids + its rows with authors joined in
    with django_assert_max_num_queries(4):
        body = client.get(
            f"/api/v1/conversations/{conversation.pk}/messages?limit=50", headers=headers
        ).json()
    assert len(body["items"]) == 40
    assert body["items"][0]["author"]["handle"] == "@dana"
