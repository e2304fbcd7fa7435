"""Staff list channels and open one; a channel's secret never appears in a read."""

from townsquare.inbox.models import Channel, ChannelKind


def test_alice_lists_channels_without_their_secrets(client, alice, twitter, hook, bearer):
    response = client.get("/api/v1/channels", headers=bearer(alice))
    assert response.status_code == 200
    assert [c["name"] for c in response.json()] == ["shop-webhook", "twitter"]
    assert hook.secret not in response.content.decode()
    assert "secret" not in response.json()[0]


def test_alice_opens_one_channel(client, alice, hook, bearer):
    response = client.get(f"/api/v1/channels/{hook.pk}", headers=bearer(alice))
    assert response.status_code == 200
    assert response.json()["kind"] == "webhook"
    assert hook.secret not in response.content.decode()


def test_unknown_channel_is_404(client, alice, bearer):
    assert client.get("/api/v1/channels/31337", headers=bearer(alice)).status_code == 404


def test_who_may_list_channels(client, farid, bob, twitter, bearer):
    forum = Channel.objects.create(name="forum", kind=ChannelKind.COMMUNITY)
    assert client.get("/api/v1/channels").status_code == 401
    assert client.get("/api/v1/channels", headers=bearer(farid)).status_code == 403
    assert [c["id"] for c in client.get("/api/v1/channels", headers=bearer(bob)).json()] == [forum.pk]
    assert client.get(f"/api/v1/channels/{twitter.pk}", headers=bearer(bob)).status_code == 404
