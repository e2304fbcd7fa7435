"""Live chat fixtures: the shop's chat channel, and a visitor's session on it."""

import pytest
from django.core.cache import cache

from townsquare.inbox.models import Channel, ChannelKind
from townsquare.livechat import throttle, writer
from townsquare.realtime import relay


@pytest.fixture(autouse=True)
def quiet_chat(settings):
    """No triage on ingest (tested elsewhere), no relay unless a test starts it, fresh counters."""
    settings.TRIAGE_ON_INGEST = False
    settings.LIVECHAT_RELAY = False
    cache.clear()
    throttle.address_sockets.open.clear()
    throttle.session_messages.counters.clear()
    yield
    relay.stop()
    writer.close_connections()  # PostgreSQL cannot drop a test database a connection still uses
    cache.clear()


@pytest.fixture
def shop_chat(db):
    """The shop's live chat, embedded on https://shop.example."""
    return Channel.objects.create(
        name="shop chat", kind=ChannelKind.LIVECHAT, settings={"allowed_origins": ["https://shop.example"]}
    )
