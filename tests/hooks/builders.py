"""Conversations for webhook tests, stored through ingest like real ones."""

from datetime import UTC, datetime

from townsquare.inbox.ingest.normalized import InboundMessage
from townsquare.inbox.ingest.store import store_messages
from townsquare.inbox.models import Conversation

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def inbound(
    external_id: str, text: str = "my order arrived broken", parent: str | None = None
) -> InboundMessage:
    return InboundMessage(
        external_id=external_id,
        author_id="dana",
        author_handle="@dana",
        text=text,
        created_at=T0,
        direction="in",
        parent_external_id=parent,
        raw={"id": external_id},
    )


def ingest_conversation(
    channel, external_id: str = "t1", text: str = "my order arrived broken"
) -> Conversation:
    outcome = store_messages(channel, [inbound(external_id, text)], source="test")
    message_id = outcome.outcomes[0][2]
    return Conversation.objects.get(root_message_id=message_id)
