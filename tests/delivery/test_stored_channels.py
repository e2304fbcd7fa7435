"""Import, webhook and community channels have nobody to send to: a reply is stored as the outbound
message as before, through the `stored` connector, and the channel's health says it works."""

import pytest

from tests.delivery.email_fixtures import deliver_now
from townsquare.connectors.health import state_of
from townsquare.inbox.ingest.normalized import InboundMessage
from townsquare.inbox.ingest.store import store_messages
from townsquare.inbox.models import Channel, ChannelKind, Message
from townsquare.replies.send import send_reply

pytestmark = pytest.mark.db


@pytest.mark.parametrize("kind", [ChannelKind.IMPORT, ChannelKind.WEBHOOK, ChannelKind.COMMUNITY])
def test_a_reply_on_a_channel_without_remote_side_is_stored(alice, kind):
    from django.utils import timezone

    channel = Channel.objects.create(name=f"{kind}-channel", kind=kind)
    stored = store_messages(
        channel,
        [InboundMessage("t1", "dana", "Where is my order?", created_at=timezone.now())],
        source="test",
    )
    conversation = Message.objects.get(pk=stored.outcomes[0][2]).conversation
    reply = send_reply(alice, conversation, "It ships today.")
    assert deliver_now(reply) == "sent"
    assert reply.remote_id == f"townsquare-reply-{reply.pk}"
    assert reply.message.external_id == f"townsquare-reply-{reply.pk}"
    assert reply.message.parent.external_id == "t1"
    assert reply.message.raw == {"reply_id": reply.pk, "author": "alice"}
    assert (reply.attempts, reply.error) == (1, "")
    assert state_of(channel.pk).health == "ok"
