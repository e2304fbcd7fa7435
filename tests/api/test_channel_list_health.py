"""GET /api/v1/channels names each channel's health, in the same queries for any number of channels."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from townsquare.connectors.models import ConnectorState, Health
from townsquare.inbox.models import Channel, ChannelKind


def add_channels(first: int, count: int) -> None:
    for number in range(first, first + count):
        channel = Channel.objects.create(name=f"mail-{number}", kind=ChannelKind.EMAIL)
        ConnectorState.objects.create(channel=channel, health=Health.FAILING, last_error="refused")


def test_alice_sees_each_channels_health(client, alice, hook, bearer):
    add_channels(0, 1)
    rows = client.get("/api/v1/channels", headers=bearer(alice)).json()
    assert {row["name"]: row["health"] for row in rows} == {"mail-0": "failing", "shop-webhook": "unknown"}
    assert "last_error" not in rows[0] and hook.secret not in str(rows)


def test_the_list_costs_the_same_for_2_or_20_channels(client, alice, bearer):
    headers = bearer(alice)
    client.get("/api/v1/channels", headers=headers)  # the token's first use is written down once
    add_channels(0, 2)
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/channels", headers=headers)
    add_channels(2, 18)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get("/api/v1/channels", headers=headers).json()) == 20
    assert len(many) == len(few)
