"""GET /conversations, /conversations/{id} and /conversations/{id}/messages."""

from typing import Literal

from django.db.models import Count, Exists, OuterRef, Q
from ninja import Query, Router
from ninja.errors import HttpError

from townsquare.api.assignment import AssigneeFilter, filter_by_assignee
from townsquare.api.auth import caller
from townsquare.api.cursor import Ordering, paginate
from townsquare.api.errors import NotFound, error_responses
from townsquare.api.labels import (
    KIND,
    LANGUAGE,
    NOT_FOR_US,
    PRIORITY,
    SENTIMENT,
    Kind,
    Language,
    Priority,
    Sentiment,
    filter_by_labels,
)
from townsquare.api.params import Id, SearchText, UtcDatetime
from townsquare.api.schemas import ConversationDetailOut, ConversationPage, MessagePage
from townsquare.api.sla import paginate_by_time_left
from townsquare.inbox.models import ConversationStatus, Direction, Message
from townsquare.inbox.visibility import visible_conversations, visible_messages
from townsquare.triage.pii import find_pii
from townsquare.web.pii_fence import sees_pii

router = Router(tags=["conversations"])

BY_ACTIVITY = Ordering("conversations", "last_activity_at", descending=True)
THREAD_ORDER = Ordering("thread", "created_at", descending=False)
LIMIT = Query(50, ge=1, le=200, description="page size, 1 to 200")
CURSOR = Query(None, max_length=200, description="`next_cursor` from the previous page")
UPDATED_SINCE = Query(None, description="ISO 8601; without an offset, UTC")
CHANNEL = Query(None, description="channel id")
CUSTOMER = Query(None, description="customer id")
SEARCH = Query(None, description="text in the subject or any message")
SORT = Query("activity", description="`activity` (newest first) or `time_left` (nearest SLA deadline first)")
ASSIGNEE = Query(None, description='"me", "none" (unassigned) or a user id')
QUEUE = Query(None, description="queue id")
# What a message in a response needs, fetched with it: its author and its labels (and who corrected them).
MESSAGE_RELATED = ("author", "labels", "labels__reviewed_by")


def visible_conversation(user, conversation_id: Id):
    conversation = (
        visible_conversations(user)
        .select_related("channel", "customer", "queue", "assignee")
        .filter(pk=conversation_id)
        .first()
    )
    if conversation is None:
        raise NotFound(f"conversation {conversation_id} not found")
    return conversation


@router.get(
    "",
    response={200: ConversationPage, **error_responses(400, 401, 403, 422)},
    summary="List conversations, newest activity first",
    description="Label filters match the conversation's roll-up of its inbound messages. "
    "Not-for-us conversations (spam, chatter) are listed too unless `not_for_us=false`.",
)
def list_conversations(
    request,
    channel: Id | None = CHANNEL,
    status: ConversationStatus | None = None,
    q: SearchText | None = SEARCH,
    customer: Id | None = CUSTOMER,
    updated_since: UtcDatetime | None = UPDATED_SINCE,
    kind: Kind | None = KIND,
    language: Language | None = LANGUAGE,
    sentiment: Sentiment | None = SENTIMENT,
    priority: Priority | None = PRIORITY,
    not_for_us: bool | None = NOT_FOR_US,
    assignee: AssigneeFilter | None = ASSIGNEE,
    queue: Id | None = QUEUE,
    sort: Literal["activity", "time_left"] = SORT,
    cursor: str | None = CURSOR,
    limit: int = LIMIT,
):
    conversations = visible_conversations(caller(request)).select_related(
        "channel", "customer", "queue", "assignee"
    )
    conversations = filter_by_labels(
        conversations,
        "",
        kind=kind,
        language=language,
        sentiment=sentiment,
        priority=priority,
        not_for_us=not_for_us,
    )
    if channel is not None:
        conversations = conversations.filter(channel_id=channel)
    if assignee is not None:
        conversations = filter_by_assignee(conversations, assignee, caller(request))
    if queue is not None:
        conversations = conversations.filter(queue_id=queue)
    if status is not None:
        conversations = conversations.filter(status=status)
    if customer is not None:
        conversations = conversations.filter(customer_id=customer)
    if updated_since is not None:
        conversations = conversations.filter(updated_at__gte=updated_since)
    if q and q.strip():
        text = q.strip()
        if not sees_pii(caller(request)) and find_pii(text):
            # Search over masked text would tell a role behind the PII fence whose email it is.
            raise HttpError(400, "your role cannot search for personal data such as emails or numbers")
        # Exists, not a join: a join would repeat a conversation once per matching message.
        in_messages = Exists(Message.objects.filter(conversation=OuterRef("pk"), text__icontains=text))
        conversations = conversations.filter(Q(subject__icontains=text) | in_messages)
    if sort == "time_left":
        return paginate_by_time_left(conversations, cursor, limit)
    return paginate(conversations, BY_ACTIVITY, cursor, limit)


@router.get(
    "/{conversation_id}",
    response={200: ConversationDetailOut, **error_responses(401, 403, 404, 422)},
    summary="One conversation with its customer, channel and message counts",
)
def read_conversation(request, conversation_id: Id):
    conversation = visible_conversation(caller(request), conversation_id)
    conversation.counts = conversation.messages.aggregate(
        total=Count("id"),
        inbound=Count("id", filter=Q(direction=Direction.INBOUND)),
        outbound=Count("id", filter=Q(direction=Direction.OUTBOUND)),
    )
    return conversation


@router.get(
    "/{conversation_id}/messages",
    response={200: MessagePage, **error_responses(400, 401, 403, 404, 422)},
    summary="A conversation's messages, oldest first",
)
def list_conversation_messages(request, conversation_id: Id, cursor: str | None = CURSOR, limit: int = LIMIT):
    user = caller(request)
    conversation = visible_conversation(user, conversation_id)
    messages = visible_messages(user).filter(conversation=conversation).select_related(*MESSAGE_RELATED)
    return paginate(messages, THREAD_ORDER, cursor, limit)
