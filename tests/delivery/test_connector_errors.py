"""Whatever a connector raises, a reply ends sent, retrying or failed with a reason: never stuck."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.delivery.email_fixtures import deliver_now
from townsquare.connectors import registry
from townsquare.connectors.base import ConfigInvalid, Connector, TransientError
from townsquare.inbox.ingest.normalized import InboundMessage
from townsquare.inbox.ingest.store import store_messages
from townsquare.inbox.models import Channel, Message
from townsquare.replies.send import send_reply

pytestmark = pytest.mark.db


class Raising(Connector):
    """A channel whose sends raise what the test puts in `error`."""

    kind = "raising"
    can_send = True
    error: BaseException | None = None

    def send(self, outgoing):
        raise type(self).error


@pytest.fixture
def raising_channel(db):
    registry.register("raising")(Raising)
    channel = Channel.objects.create(name="raising", kind="raising")
    yield channel
    registry._CONNECTORS.pop("raising", None)


@pytest.fixture
def reply(alice, raising_channel):
    stored = store_messages(
        raising_channel, [InboundMessage("r1", "dana", "Hello?", created_at=timezone.now())], source="test"
    )
    conversation = Message.objects.get(pk=stored.outcomes[0][2]).conversation
    return send_reply(alice, conversation, "Hello Dana.")


def test_a_rate_limit_wait_from_the_channel_is_honoured(reply):
    Raising.error = TransientError("429 Too Many Requests", retry_after=900)
    assert deliver_now(reply) == "retrying"
    assert reply.send_after >= timezone.now() + timedelta(seconds=890)
    assert "429 Too Many Requests" in reply.error


def test_a_network_error_is_retried(reply):
    Raising.error = ConnectionResetError("connection reset by peer")
    assert deliver_now(reply) == "retrying"
    assert "ConnectionResetError: connection reset by peer" in reply.error


def test_unusable_settings_fail_the_reply(reply):
    Raising.error = ConfigInvalid("the access token is missing", {"access_token": "required"})
    assert deliver_now(reply) == "failed"
    assert reply.error == "the access token is missing"


def test_a_bug_in_a_connector_fails_the_reply_instead_of_leaving_it_sending(reply, caplog):
    Raising.error = KeyError("visibility")
    assert deliver_now(reply) == "failed"
    assert reply.error == "KeyError: 'visibility'"
    assert "Connector of channel" in caplog.text
