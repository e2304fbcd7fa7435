"""Small builders for inbound messages used by the ingest tests."""

from datetime import UTC, datetime, timedelta

from townsquare.inbox.ingest.normalized import InboundMessage

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def msg(
    external_id: str,
    *,
    parent: str | None = None,
    author: str = "dana",
    minute: int = 0,
    direction: str = "in",
    text: str | None = None,
) -> InboundMessage:
    return InboundMessage(
        external_id=external_id,
        author_id=author,
        author_handle=f"@{author}",
        text=text or f"message {external_id}",
        created_at=T0 + timedelta(minutes=minute),
        direction=direction,
        parent_external_id=parent,
        raw={"id": external_id},
    )
