"""Alice lists messages across conversations, filtered, and opens one."""

from tests.api.factories import make_conversation, routed_to
from townsquare.inbox.models import Channel, ChannelKind, Message

URL = "/api/v1/messages"


def test_filters_and_pages(client, alice, twitter, hook, bearer):
    first = make_conversation(twitter, minutes=0, texts=("a", "b", "c", "d"))
    make_conversation(hook, minutes=5, texts=("e", "f"))
    headers = bearer(alice)

    def texts(**params):
        response = client.get(URL, params, headers=headers)
        assert response.status_code == 200, response.content
        return [m["text"] for m in response.json()["items"]]

    assert texts() == ["a", "b", "c", "d", "e", "f"]
    assert texts(channel=hook.pk) == ["e", "f"]
    assert texts(conversation=first.pk, direction="out") == ["b", "d"]
    assert texts(since="2026-11-20T10:00:02Z") == ["c", "d", "e", "f"]
    assert client.get(URL, {"direction": "sideways"}, headers=headers).status_code == 422

    seen, cursor = [], None
    while True:
        body = client.get(URL, {"limit": 4, **({"cursor": cursor} if cursor else {})}, headers=headers).json()
        seen += [m["id"] for m in body["items"]]
        if not (cursor := body["next_cursor"]):
            break
    assert seen == list(Message.objects.order_by("received_at", "id").values_list("id", flat=True))


def test_a_message_backfilled_for_an_old_date_still_reaches_a_client_that_keeps_in_sync(
    client, alice, twitter, bearer
):
    from datetime import timedelta

    from django.utils import timezone

    make_conversation(twitter, minutes=0, texts=("a", "b"))
    headers = bearer(alice)
    first = client.get(URL, {"limit": 2}, headers=headers).json()
    assert [m["text"] for m in first["items"]] == ["a", "b"]
    late = Message.objects.first()
    Message.objects.create(
        channel=twitter,
        conversation=late.conversation,
        external_id="backfilled",
        direction="in",
        text="written long ago, imported now",
        created_at=late.created_at - timedelta(days=300),
        received_at=timezone.now(),
    )
    cursor = first["next_cursor"] or client.get(URL, {"limit": 2}, headers=headers).json()["next_cursor"]
    rest = client.get(URL, {"limit": 2, "cursor": cursor}, headers=headers).json()
    assert [m["text"] for m in rest["items"]] == ["written long ago, imported now"]


def test_one_message_with_its_raw_payload(client, alice, twitter, bearer):
    message = make_conversation(twitter).messages.get()
    body = client.get(f"{URL}/{message.pk}", headers=bearer(alice)).json()
    assert body["external_id"] == message.external_id
    assert body["raw"] == {}


def test_permissions(client, farid, bob, twitter, bearer):
    message = make_conversation(twitter).messages.get()
    forum = Channel.objects.create(name="forum", kind=ChannelKind.COMMUNITY)
    community = routed_to(make_conversation(forum), bob)
    make_conversation(forum)  # not routed to Bob
    assert client.get(URL).status_code == 401
    assert client.get(URL, headers=bearer(farid)).status_code == 403
    assert client.get(f"{URL}/{message.pk}", headers=bearer(farid)).status_code == 403
    assert client.get(f"{URL}/{message.pk}", headers=bearer(bob)).status_code == 404
    bob_sees = [m["conversation_id"] for m in client.get(URL, headers=bearer(bob)).json()["items"]]
    assert bob_sees == [community.pk]


def test_unknown_message_is_404(client, alice, bearer):
    assert client.get(f"{URL}/424242", headers=bearer(alice)).status_code == 404
