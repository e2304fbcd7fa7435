"""Response bodies shared by the read endpoints. A channel's secret is never in these."""

from datetime import datetime

from ninja import Schema


class ChannelRef(Schema):
    id: int
    name: str
    kind: str


class CustomerRef(Schema):
    id: int
    display_name: str


class AuthorOut(Schema):
    id: int
    external_id: str
    handle: str
    display_name: str
    is_brand: bool
    customer_id: int | None


class ConversationOut(Schema):
    id: int
    channel: ChannelRef
    customer: CustomerRef | None
    status: str
    subject: str
    started_at: datetime
    last_activity_at: datetime
    message_count: int
    created_at: datetime
    updated_at: datetime


class MessageCounts(Schema):
    total: int
    inbound: int
    outbound: int


class ConversationDetailOut(ConversationOut):
    counts: MessageCounts


class ConversationPage(Schema):
    items: list[ConversationOut]
    next_cursor: str | None


class MessageOut(Schema):
    id: int
    channel_id: int
    conversation_id: int | None
    external_id: str
    parent_id: int | None
    parent_external_id: str | None
    direction: str
    author: AuthorOut | None
    text: str
    created_at: datetime
    received_at: datetime


class MessageDetailOut(MessageOut):
    raw: dict


class MessagePage(Schema):
    items: list[MessageOut]
    next_cursor: str | None
