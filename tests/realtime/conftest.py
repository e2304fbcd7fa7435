"""Conversations the console socket tests talk about: a chat in the Devices queue, one in Billing."""

import pytest

from tests.web.care_builders import care_conversation, profile, queue
from townsquare.inbox.models import Channel, ChannelKind


@pytest.fixture
def chat_channel(db):
    return Channel.objects.create(name="site chat", kind=ChannelKind.LIVECHAT)


@pytest.fixture
def devices_chat(alice, chat_channel):
    """A chat in the Devices queue, which Alice works."""
    devices = queue("Devices")
    profile(alice, queues=[devices])
    return care_conversation(chat_channel, "My headphones stopped charging", in_queue=devices)


@pytest.fixture
def billing_chat(chat_channel):
    """A chat in the Billing queue: Alice is not in it."""
    return care_conversation(chat_channel, "I was charged twice", in_queue=queue("Billing"))


@pytest.fixture(autouse=True)
def no_relay(settings):
    """These tests publish themselves; the relay (started by any socket's connect on the in-memory
    layer) would also leave database connections open in its threads."""
    settings.LIVECHAT_RELAY = False
