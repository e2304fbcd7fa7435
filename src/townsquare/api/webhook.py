"""POST /channels/{id}/messages: a batch of messages delivered by a signed webhook.

Not token-authenticated: the sender proves itself with an HMAC-SHA256 signature under the
channel's secret (see townsquare.inbox.webhook). Nothing is stored unless every item is valid,
except with ?partial=true, when valid items are stored and the rest reported.
"""

import time
from typing import Literal

from django.conf import settings
from django.db import transaction
from ninja import Header, Query, Router, Schema, Status
from ninja.errors import HttpError

from townsquare.api.errors import FieldErrorOut, error_responses
from townsquare.api.params import Id
from townsquare.api.payload import parse_json, read_limited_body
from townsquare.api.ratelimit import over_limit
from townsquare.api.webhook_docs import REQUEST_BODY
from townsquare.inbox.ingest.normalized import RejectError, message_from_dict
from townsquare.inbox.ingest.store import count_rejected, store_messages
from townsquare.inbox.models import Channel
from townsquare.inbox.webhook import SignatureError, verify

router = Router(tags=["webhook"])


class RejectedItem(Schema):
    index: int
    id: str | None
    reason: str


class MessageOutcome(Schema):
    id: str
    status: Literal["stored", "duplicate"]
    message_id: int


class DeliveryOut(Schema):
    stored: int
    duplicates: int
    rejected: list[RejectedItem]
    messages: list[MessageOutcome]


class DeliveryErrorOut(Schema):
    detail: str
    errors: list[FieldErrorOut] = []
    rejected: list[RejectedItem] = []


def batch_error(msg: str) -> Status:
    errors = [{"loc": ["body", "messages"], "msg": msg, "type": "value_error"}]
    return Status(422, {"detail": 'the body must be {"messages": [ … ]}', "errors": errors})


def validate_items(items: list) -> tuple[list, list[dict]]:
    valid, rejected = [], []
    for index, item in enumerate(items):
        try:
            valid.append(message_from_dict(item))
        except RejectError as exc:
            raw_id = item.get("id") if isinstance(item, dict) else None
            shown_id = (
                str(raw_id)[:200] if isinstance(raw_id, str | int) and not isinstance(raw_id, bool) else None
            )
            rejected.append({"index": index, "id": shown_id, "reason": str(exc) or "invalid message"})
    return valid, rejected


def check_rate(channel: Channel) -> None:
    wait = over_limit(
        f"webhook:{channel.pk}", settings.WEBHOOK_RATE_LIMIT, settings.WEBHOOK_RATE_WINDOW_SECONDS
    )
    if wait is not None:
        raise RateLimited(wait)


class RateLimited(HttpError):
    def __init__(self, wait: int):
        self.wait = wait
        super().__init__(429, f"more than the allowed deliveries for this channel; retry in {wait} s")


@router.post(
    "/{channel_id}/messages",
    auth=None,
    response={
        202: DeliveryOut,
        **error_responses(400, 401, 404, 409, 413, 429),
        422: DeliveryErrorOut,
    },
    summary="Deliver messages to a webhook channel (HMAC-signed, not token-authenticated)",
    openapi_extra={"requestBody": REQUEST_BODY, "security": []},
)
def receive_messages(
    request,
    channel_id: Id,
    partial: bool = Query(False, description="store the valid items even if some are not valid"),
    timestamp: str | None = Header(None, alias="X-Townsquare-Timestamp", description="unix seconds"),
    signature: str | None = Header(
        None, alias="X-Townsquare-Signature", description="sha256=<hex HMAC of timestamp + '.' + body>"
    ),
):
    channel = Channel.objects.filter(pk=channel_id).first()
    if channel is None:
        raise HttpError(404, f"channel {channel_id} not found")
    if not channel.is_active:
        raise HttpError(409, f"channel {channel.name!r} is inactive; an admin can reactivate it")
    body = read_limited_body(request, settings.WEBHOOK_MAX_BODY_BYTES)
    try:
        verify(channel.secret, timestamp, signature, body, time.time(), settings.WEBHOOK_MAX_SKEW_SECONDS)
    except SignatureError as exc:
        raise HttpError(401, str(exc)) from None
    # Counted only once signed: unsigned floods cannot use up the sender's allowance.
    check_rate(channel)

    document = parse_json(body)
    items = document.get("messages") if isinstance(document, dict) else None
    if not isinstance(items, list):
        return batch_error('expected an object with a "messages" list')
    if not 1 <= len(items) <= settings.WEBHOOK_MAX_BATCH:
        return batch_error(f"send 1 to {settings.WEBHOOK_MAX_BATCH} messages, not {len(items)}")

    valid, rejected = validate_items(items)
    if rejected and not partial:
        count_rejected(channel, len(rejected))
        return Status(
            422,
            {
                "detail": f"{len(rejected)} of {len(items)} messages are not valid; nothing was stored "
                "(send ?partial=true to store the valid ones)",
                "rejected": rejected,
            },
        )
    with transaction.atomic():
        result = store_messages(channel, valid, source="webhook")
        count_rejected(channel, len(rejected))
    outcomes = [{"id": ext_id, "status": status, "message_id": pk} for ext_id, status, pk in result.outcomes]
    return Status(
        202,
        {
            "stored": result.stored,
            "duplicates": result.duplicates,
            "rejected": rejected,
            "messages": outcomes,
        },
    )
