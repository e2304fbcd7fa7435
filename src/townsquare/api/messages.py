"""GET /messages and /messages/{id}: messages across the conversations the caller may see."""

from ninja import Query, Router

from townsquare.api import labels
from townsquare.api.auth import caller
from townsquare.api.conversations import CHANNEL, CURSOR, LIMIT, MESSAGE_RELATED
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
from townsquare.api.params import Id, UtcDatetime
from townsquare.api.schemas import MessageDetailOut, MessagePage
from townsquare.inbox.models import Direction
from townsquare.inbox.visibility import visible_messages

router = Router(tags=["messages"])
# POST /messages/{id}/corrections lives with the other label endpoints.
router.add_router("", labels.router)

CONVERSATION = Query(None, description="conversation id")
SINCE = Query(None, description="written at or after (ISO 8601; without an offset, UTC)")
# In the order Townsquare received them: a message imported late for an old date still comes
# after everything already listed, so a client following next_cursor never misses one.
BY_RECEIVED = Ordering("messages", "received_at", descending=False)


@router.get(
    "",
    response={200: MessagePage, **error_responses(400, 401, 403, 422)},
    summary="List messages in the order they were received (follow next_cursor to keep in sync)",
    description="Label filters match each message's own triage labels; a message not triaged yet "
    "matches none of them. Not-for-us messages are listed too unless `not_for_us=false`.",
)
def list_messages(
    request,
    channel: Id | None = CHANNEL,
    conversation: Id | None = CONVERSATION,
    direction: Direction | None = None,
    since: UtcDatetime | None = SINCE,
    kind: Kind | None = KIND,
    language: Language | None = LANGUAGE,
    sentiment: Sentiment | None = SENTIMENT,
    priority: Priority | None = PRIORITY,
    not_for_us: bool | None = NOT_FOR_US,
    cursor: str | None = CURSOR,
    limit: int = LIMIT,
):
    messages = visible_messages(caller(request)).select_related(*MESSAGE_RELATED)
    messages = filter_by_labels(
        messages,
        "labels__",
        kind=kind,
        language=language,
        sentiment=sentiment,
        priority=priority,
        not_for_us=not_for_us,
    )
    if channel is not None:
        messages = messages.filter(channel_id=channel)
    if conversation is not None:
        messages = messages.filter(conversation_id=conversation)
    if direction is not None:
        messages = messages.filter(direction=direction)
    if since is not None:
        messages = messages.filter(created_at__gte=since)
    return paginate(messages, BY_RECEIVED, cursor, limit)


@router.get(
    "/{message_id}",
    response={200: MessageDetailOut, **error_responses(401, 403, 404, 422)},
    summary="One message, with the payload as it arrived",
)
def read_message(request, message_id: Id):
    message = visible_messages(caller(request)).select_related(*MESSAGE_RELATED).filter(pk=message_id).first()
    if message is None:
        raise NotFound(f"message {message_id} not found")
    return message
