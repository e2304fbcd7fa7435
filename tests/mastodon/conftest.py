"""A fake Mastodon instance on loopback and a Mastodon channel pointed at it."""

import pytest
from django.core.cache import cache

from tests.mastodon.fake_server import FakeMastodon
from townsquare.connectors.models import ConnectorState
from townsquare.connectors.secrets import seal
from townsquare.inbox.models import Channel, ChannelKind


@pytest.fixture
def fake():
    server = FakeMastodon().start()
    yield server
    server.stop()


def mastodon_channel(fake: FakeMastodon, *, name="acme-mastodon", token=None, **settings) -> Channel:
    channel = Channel.objects.create(
        name=name,
        kind=ChannelKind.FEDIVERSE,
        settings={"base_url": fake.url, "account": "@acme@social.example", **settings},
    )
    ConnectorState.objects.create(channel=channel, sealed_secrets=seal({"access_token": token or fake.token}))
    return channel


@pytest.fixture
def acme(db, fake) -> Channel:
    """The brand's Mastodon channel, signed in to the fake instance."""
    return mastodon_channel(fake)


@pytest.fixture(autouse=True)
def no_triage(settings):
    # Triage on ingest has its own tests; these are about fetching and sending.
    settings.TRIAGE_ON_INGEST = False
    cache.clear()
    yield
    cache.clear()
