"""Fixtures for delivery tests (tests/delivery, tests/email/test_send_*): an email channel sending
through a real SMTP server on loopback, and a customer who wrote to it."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from tests.delivery.smtp_sink import SmtpSink, free_port
from townsquare.connectors.models import ConnectorState
from townsquare.connectors.secrets import seal
from townsquare.inbox.ingest.normalized import InboundMessage
from townsquare.inbox.ingest.store import store_messages
from townsquare.inbox.models import Channel, ChannelKind, Message
from townsquare.replies.models import Reply
from townsquare.replies.tasks import deliver_reply_task

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
DANA = "dana@customer.test"
SUPPORT = "support@acme.test"


@pytest.fixture
def quiet_delivery(settings):
    """Use in delivery test modules: triage has its own tests; retries wait a second at most."""
    settings.TRIAGE_ON_INGEST = False
    settings.DELIVERY_RETRY_BASE_SECONDS = 1
    settings.DELIVERY_RETRY_MAX_SECONDS = 1
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def smtp_sink():
    with SmtpSink() as sink:
        yield sink


def email_channel(port: int, name: str = "support-email", **settings) -> Channel:
    options = {
        "address": SUPPORT,
        "from_address": SUPPORT,
        "from_name": "Acme Support",
        "smtp_host": "127.0.0.1",
        "smtp_port": port,
        "smtp_security": "none",
        "smtp_timeout": 2,
        **settings,
    }
    return Channel.objects.create(name=name, kind=ChannelKind.EMAIL, settings=options)


def set_password(channel: Channel, password: str) -> None:
    ConnectorState.objects.update_or_create(
        channel=channel, defaults={"sealed_secrets": seal({"smtp_password": password})}
    )


@pytest.fixture
def support_mailbox(db, smtp_sink) -> Channel:
    """Acme's support address, sending through the loopback sink."""
    return email_channel(smtp_sink.port)


@pytest.fixture
def closed_smtp_port() -> int:
    """A loopback port nothing listens on: connections are refused."""
    return free_port()


def customer_email(
    channel: Channel,
    message_id: str,
    text: str,
    *,
    subject: str = "Order 48213 has not arrived",
    in_reply_to: str | None = None,
    references: tuple[str, ...] = (),
    minute: int = 0,
) -> Message:
    """Dana's email, stored as the email listener stores one (external id = bare Message-ID)."""
    email = InboundMessage(
        external_id=message_id,
        author_id=DANA,
        author_handle=DANA,
        author_name="Dana Ortiz",
        text=text,
        created_at=T0 + timedelta(minutes=minute),
        parent_external_id=in_reply_to,
        raw={"message_id": message_id, "subject": subject, "references": list(references)},
    )
    result = store_messages(channel, [email], source="test")
    return Message.objects.select_related("conversation").get(pk=result.outcomes[0][2])


def deliver_now(reply: Reply) -> str:
    """End the undo window (or the retry wait), then run the delivery task as a worker would."""
    Reply.objects.filter(pk=reply.pk).update(send_after=timezone.now() - timedelta(seconds=1))
    outcome = deliver_reply_task.call(reply.pk)
    reply.refresh_from_db()
    return outcome
