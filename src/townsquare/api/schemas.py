"""Response bodies shared by the read endpoints. A channel's secret is never in these.

Message text goes through the PII fence: callers whose role may not read personal data (the
ambassador role) get it masked, whether or not triage has run yet.
"""

from datetime import datetime

from ninja import Field, Schema

from townsquare.web.pii_fence import sees_pii, shown_free_text, shown_text, stored_labels


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


class PiiSpanOut(Schema):
    kind: str = Field(description="email, phone, card, iban, postal_code or account")
    start: int
    end: int


class MessageLabelsOut(Schema):
    """What triage said about one message; scores are probabilities in [0, 1]."""

    status: str = Field(description="`fast` (fast path done), `semantic` (both paths done) or `failed`")
    error: str
    language: str = Field(description="ISO 639-1, or `und` when too short to tell")
    language_score: float
    kind: str = Field(description="question, problem, complaint, praise, suggestion, chatter or spam")
    kind_score: float
    invites_reply: bool
    invites_reply_score: float
    sentiment: str = Field(description="negative, neutral or positive")
    sentiment_score: float
    spam_score: float
    promo_score: float
    urgency: list[str]
    priority: str = Field(description="low, normal, high or urgent")
    pii: list[PiiSpanOut] = Field(
        description="offsets into the text as triage saw it (control characters removed)"
    )
    intents: list[tuple[str, float]] = Field(description="up to three [intent, score] pairs, best first")
    duplicate_group: str | None = Field(description="id of the first message of its duplicate group")
    duplicate_match: str | None = Field(description="exact, near or cross_lingual")
    not_for_us: bool = Field(
        description="spam, or chatter not inviting a reply, unless a person moved it back"
    )
    reviewed_by: str | None = Field(description="username of the person who last corrected these labels")
    reviewed_at: datetime | None
    triage_version: str

    @staticmethod
    def resolve_reviewed_by(obj) -> str | None:
        return obj.reviewed_by.username if obj.reviewed_by_id else None


class ConversationLabelsOut(Schema):
    """The roll-up of the inbound messages' labels."""

    language: str = Field(description="language of the first inbound message that has one")
    kind: str = Field(description="the most pressing inbound kind")
    sentiment: str = Field(description="the latest inbound message's")
    priority: str = Field(description="the highest inbound priority")
    invites_reply: bool | None
    not_for_us: bool = Field(description="every inbound message is not for us")
    triage_pending: bool = Field(description="some inbound message has no labels yet")


class QueueRef(Schema):
    id: int
    name: str


class UserRef(Schema):
    id: int
    username: str


class ConversationOut(Schema):
    id: int
    channel: ChannelRef
    customer: CustomerRef | None
    queue: QueueRef | None = Field(description="the queue routing put it in")
    assignee: UserRef | None = Field(description="who owns it now")
    assigned_at: datetime | None
    escalation_level: str = Field(description='"", ambassador, agent or supervisor')
    sla_due_at: datetime | None = Field(description="the nearest running SLA deadline")
    status: str
    subject: str
    started_at: datetime
    last_activity_at: datetime
    message_count: int
    created_at: datetime
    updated_at: datetime
    labels: ConversationLabelsOut | None = Field(description="null until an inbound message is triaged")

    @staticmethod
    def resolve_labels(obj):
        return obj if obj.kind or obj.language else None

    @staticmethod
    def resolve_subject(obj, context) -> str:
        return shown_free_text(context["request"].auth, obj.subject)


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
    text: str = Field(description="masked (`[email]`, `[card]`, …) for roles that may not read personal data")
    created_at: datetime
    received_at: datetime
    labels: MessageLabelsOut | None = Field(description="null until triaged")

    @staticmethod
    def resolve_text(obj, context) -> str:
        return shown_text(context["request"].auth, obj)

    @staticmethod
    def resolve_labels(obj):
        return stored_labels(obj)


class MessageDetailOut(MessageOut):
    raw: dict = Field(description="empty for roles that may not read personal data")

    @staticmethod
    def resolve_raw(obj, context) -> dict:
        return obj.raw if sees_pii(context["request"].auth) else {}


class MessagePage(Schema):
    items: list[MessageOut]
    next_cursor: str | None
