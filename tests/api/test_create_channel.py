"""Grace the admin creates a channel; its secret is in the answer, once."""

import pytest

from tests.api.signing import message, post_signed
from townsquare.events.models import Event
from townsquare.inbox.models import Channel

URL = "/api/v1/channels"


def test_grace_creates_a_webhook_channel_and_sees_its_secret_once(client, grace, bearer):
    headers = bearer(grace)
    response = client.post(URL, {"name": "shop"}, content_type="application/json", headers=headers)
    assert response.status_code == 201
    body = response.json()
    channel = Channel.objects.get(pk=body["id"])
    assert (body["kind"], body["secret"]) == ("webhook", channel.secret)
    assert "secret" not in client.get(f"{URL}/{channel.pk}", headers=headers).json()
    event = Event.objects.get(kind="channel.created")
    assert (event.actor_id, event.channel_id) == (grace.pk, channel.pk)
    # The secret works for signing right away.
    assert post_signed(client, channel, {"messages": [message(1)]}).status_code == 202


@pytest.mark.parametrize("user", ["alice", "carol", "bob", "farid"])
def test_only_an_admin_may_create_a_channel(client, bearer, request, user):
    response = client.post(
        URL, {"name": "shop"}, content_type="application/json", headers=bearer(request.getfixturevalue(user))
    )
    assert response.status_code == 403
    assert not Channel.objects.filter(name="shop").exists()


def test_anonymous_cannot_create_a_channel(client, db):
    assert client.post(URL, {"name": "shop"}, content_type="application/json").status_code == 401


def test_a_taken_name_is_409(client, grace, twitter, bearer):
    response = client.post(URL, {"name": "twitter"}, content_type="application/json", headers=bearer(grace))
    assert response.status_code == 409
    assert "already exists" in response.json()["detail"]


@pytest.mark.parametrize(
    "payload",
    [{}, {"name": ""}, {"name": "   "}, {"name": "x" * 101}, {"name": "x", "kind": "carrier-pigeon"}],
)
def test_bad_input_is_422_with_the_field(client, grace, bearer, payload):
    response = client.post(URL, payload, content_type="application/json", headers=bearer(grace))
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"][0] == "body"


def test_a_body_that_is_not_json_is_400(client, grace, bearer):
    response = client.post(URL, b"{nope", content_type="application/json", headers=bearer(grace))
    assert response.status_code == 400
