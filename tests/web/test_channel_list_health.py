"""The channels list shows every channel's health in the same number of queries however many
channels there are (two queries for the health and rejected counts, not two per channel)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from townsquare.connectors.models import ConnectorState, Health, RejectedInbound
from townsquare.inbox.models import Channel, ChannelKind

pytestmark = pytest.mark.django_db


def add_channels(first: int, count: int) -> None:
    for number in range(first, first + count):
        channel = Channel.objects.create(name=f"mail-{number}", kind=ChannelKind.EMAIL)
        ConnectorState.objects.create(channel=channel, health=Health.FAILING, last_error=f"error {number}")
        RejectedInbound.objects.create(channel=channel, reason="broken", raw=b"x", size=1, sha256="0" * 64)


def queries_for_the_list(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("web:channels")).status_code == 200
    return len(captured)


def test_the_list_costs_the_same_for_2_or_20_channels(client, grace):
    client.force_login(grace)
    add_channels(0, 2)
    few = queries_for_the_list(client)
    add_channels(2, 18)
    assert queries_for_the_list(client) == few


def test_each_row_shows_its_own_health_and_error(client, carol):
    add_channels(0, 3)
    Channel.objects.create(name="new-hook", kind=ChannelKind.WEBHOOK)
    client.force_login(carol)
    html = client.get(reverse("web:channels")).content.decode()
    assert html.count('data-testid="health">Failing<') == 3
    assert html.count('data-testid="health">Not checked yet<') == 1
    assert all(f"error {n}" in html for n in range(3))
