"""A conversation with Dana on an import channel, stored through the real ingest service."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache

from townsquare.inbox.ingest.normalized import InboundMessage
from townsquare.inbox.ingest.store import store_messages
from townsquare.inbox.models import Conversation, Message
from townsquare.people.tokens import create_token

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def customer_message(
    external_id: str, text: str, *, parent: str | None = None, minute: int = 0, author="dana"
):
    return InboundMessage(
        external_id=external_id,
        author_id=author,
        author_handle=f"@{author}",
        author_name="Dana Ortiz" if author == "dana" else author,
        text=text,
        created_at=T0 + timedelta(minutes=minute),
        parent_external_id=parent,
        raw={"id": external_id},
    )


def ingest(channel, *messages) -> list[int]:
    result = store_messages(channel, list(messages), source="test")
    return [message_id for _, _, message_id in result.outcomes]


def conversation_of(message_id: int) -> Conversation:
    return Message.objects.get(pk=message_id).conversation


@pytest.fixture(autouse=True)
def no_triage_and_no_undo_wait(settings):
    # Triage has its own tests; replies are delivered by calling the task function in these tests.
    settings.TRIAGE_ON_INGEST = False
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def dana_asks(twitter) -> Conversation:
    """Dana asks on Twitter where her order is."""
    [first] = ingest(twitter, customer_message("t1", "Where is my order 48213? It has not arrived."))
    return conversation_of(first)


@pytest.fixture
def bearer():
    def headers_for(user) -> dict:
        _, plaintext = create_token(user, "tests")
        return {"Authorization": f"Bearer {plaintext}"}

    return headers_for


@pytest.fixture
def community(db):
    from townsquare.inbox.models import Channel, ChannelKind

    return Channel.objects.create(name="community", kind=ChannelKind.COMMUNITY)


@pytest.fixture
def community_question(community) -> Conversation:
    """Farid asks the community a question (the only kind of conversation an ambassador sees)."""
    [first] = ingest(community, customer_message("q1", "How do I pair my headphones?", author="farid"))
    return conversation_of(first)
