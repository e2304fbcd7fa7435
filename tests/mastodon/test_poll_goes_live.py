"""A polled mention reaches open consoles at once, as a chat message does."""

import pytest
from channels.db import database_sync_to_async

from tests.livechat.chat_sockets import Listener, run
from townsquare.connectors.polling import poll_channel
from townsquare.inbox.models import Message
from townsquare.realtime.publish import CONSOLE_GROUP

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def memory_layer(settings):
    settings.CHANNEL_LAYER = "memory"


def test_each_polled_mention_is_published_to_the_console_group_after_commit(acme, fake):
    fake.mention("is anyone there?", visibility="direct")
    fake.mention("hello?")

    async def scenario():
        async with Listener(CONSOLE_GROUP) as console:
            outcome = await database_sync_to_async(poll_channel)(acme.pk)
            first = await console.receive_type("console.message", timeout=3)
            second = await console.receive_type("console.message", timeout=3)
            return outcome, [first, second]

    outcome, events = run(scenario)
    assert outcome.stored == 2
    stored = dict(Message.objects.filter(channel=acme).values_list("pk", "conversation_id"))
    assert {event["message"] for event in events} == set(stored)
    for event in events:
        assert event["conversation"] == stored[event["message"]]
        assert (event["direction"], event["channel"]) == ("in", acme.pk)
