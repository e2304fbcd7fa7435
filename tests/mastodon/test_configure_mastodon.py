"""An admin sets up a Mastodon channel with the channels service, tests it, and mentions come in."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from townsquare.connectors.base import ConfigInvalid
from townsquare.connectors.config import configure_channel, secret_names_set, test_connection
from townsquare.connectors.health import state_of
from townsquare.connectors.models import ConnectorState, Health
from townsquare.connectors.polling import due_channel_ids, poll_channel
from townsquare.events.models import Event
from townsquare.inbox.channels import create_channel
from townsquare.inbox.models import Message

pytestmark = pytest.mark.django_db


def test_an_admin_configures_tests_and_polls_a_mastodon_channel(grace, fake):
    channel, _ = create_channel(grace, "acme-mastodon", "mastodon")
    configure_channel(
        grace,
        channel,
        settings={"base_url": fake.url, "account": "@acme@social.example", "poll_seconds": "30"},
        secrets={"access_token": fake.token},
    )
    channel.refresh_from_db()
    assert channel.settings["poll_seconds"] == 30
    assert secret_names_set(channel) == ["access_token"]

    report = test_connection(grace, channel)
    assert (report.ok, report.detail) == (True, "signed in as @acme@social.example")
    assert state_of(channel.pk).health == Health.OK

    fake.mention("hello from the fediverse")
    assert poll_channel(channel.pk).stored == 1
    assert Message.objects.get(channel=channel).text == "@acme hello from the fediverse"
    # The token reached the instance, and never the event log.
    assert fake.requests[0].headers["Authorization"] == f"Bearer {fake.token}"
    assert fake.token not in json.dumps(list(Event.objects.values_list("data", flat=True)))


def test_plain_http_to_a_remote_instance_is_refused_with_the_reason(grace):
    channel, _ = create_channel(grace, "acme-mastodon", "mastodon")
    with pytest.raises(ConfigInvalid) as refused:
        configure_channel(
            grace, channel, settings={"base_url": "http://mastodon.social"}, secrets={"access_token": "t"}
        )
    assert refused.value.fields == {
        "base_url": "must use https (plain http only for an instance on this machine)"
    }
    channel.refresh_from_db()
    assert channel.settings == {}


def test_test_connection_with_a_wrong_token_says_so(grace, fake):
    channel, _ = create_channel(grace, "acme-mastodon", "mastodon")
    channel = configure_channel(
        grace, channel, settings={"base_url": fake.url}, secrets={"access_token": "wrong"}
    )
    report = test_connection(grace, channel)
    assert not report.ok
    assert report.detail.startswith("access token rejected (401")
    assert state_of(channel.pk).health == Health.FAILING


def test_fixing_a_channels_settings_makes_it_due_at_once_despite_its_backoff(grace, fake):
    channel, _ = create_channel(grace, "acme-fixed", "mastodon")
    configure_channel(grace, channel, settings={"base_url": fake.url}, secrets={"access_token": "revoked"})
    # Failing polls pushed the next one half an hour out.
    ConnectorState.objects.filter(channel=channel).update(next_poll_at=timezone.now() + timedelta(minutes=30))
    assert channel.pk not in due_channel_ids()
    configure_channel(grace, channel, secrets={"access_token": fake.token})
    assert channel.pk in due_channel_ids()
