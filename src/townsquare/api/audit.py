"""GET /audit: the audit log (who did what, when), for admins and supervisors."""

import base64
import binascii
import json
from datetime import datetime
from typing import Annotated

from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from pydantic import StringConstraints

from townsquare.api.auth import caller
from townsquare.api.conversations import CURSOR, LIMIT
from townsquare.api.errors import error_responses
from townsquare.api.params import MAX_ID, Id, UtcDatetime
from townsquare.security.audit import MAX_KIND_LENGTH, AuditFilter, actor_names, audit_events, page

router = Router(tags=["audit"])

CURSOR_NAME = "audit"
MAX_CURSOR_LENGTH = 100
ACTOR = Query(None, description="user id of the person who acted")
KIND = Query(None, description='an event kind, or a prefix ending in "."')
CONVERSATION = Query(None, description="conversation id")
SINCE = Query(None, description="at or after (ISO 8601; without an offset, UTC)")
UNTIL = Query(None, description="before (ISO 8601; without an offset, UTC)")
Kind = Annotated[str, StringConstraints(max_length=MAX_KIND_LENGTH, pattern=r"^[^\x00]*$")]


class AuditEventOut(Schema):
    id: int
    kind: str
    occurred_at: datetime
    actor_id: int | None = Field(description="the user who acted; null for the system and signed deliveries")
    actor: str | None = Field(description="that user's username")
    channel_id: int | None
    conversation_id: int | None
    message_id: int | None
    data: dict


class AuditPage(Schema):
    items: list[AuditEventOut]
    next_cursor: str | None


def encode_cursor(before_id: int) -> str:
    raw = json.dumps([CURSOR_NAME, before_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    bad = HttpError(400, "cursor is not valid for this list; start again without a cursor")
    if len(cursor) > MAX_CURSOR_LENGTH:
        raise bad
    try:
        name, before_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise bad from None
    if name != CURSOR_NAME or not isinstance(before_id, int) or isinstance(before_id, bool):
        raise bad
    if not 1 <= before_id <= MAX_ID:
        raise bad
    return before_id


@router.get(
    "",
    response={200: AuditPage, **error_responses(400, 401, 403, 422)},
    summary="The audit log, newest first (admins and supervisors)",
    description='`kind` matches one kind (`auth.login`) or, ending in ".", a family (`auth.`). '
    "`since` is inclusive, `until` exclusive. Follow `next_cursor` for older events.",
)
def list_audit_events(
    request,
    actor: Id | None = ACTOR,
    kind: Kind | None = KIND,
    conversation: Id | None = CONVERSATION,
    since: UtcDatetime | None = SINCE,
    until: UtcDatetime | None = UNTIL,
    cursor: str | None = CURSOR,
    limit: int = LIMIT,
):
    filters = AuditFilter(
        actor_id=actor, kind=kind or "", conversation_id=conversation, since=since, until=until
    )
    before_id = decode_cursor(cursor) if cursor else None
    events, next_before = page(audit_events(caller(request), filters, before_id=before_id), limit)
    names = actor_names(events)
    items = [
        {
            "id": event.pk,
            "kind": event.kind,
            "occurred_at": event.occurred_at,
            "actor_id": event.actor_id,
            "actor": names.get(event.actor_id),
            "channel_id": event.channel_id,
            "conversation_id": event.conversation_id,
            "message_id": event.message_id,
            "data": event.data,
        }
        for event in events
    ]
    return {"items": items, "next_cursor": encode_cursor(next_before) if next_before else None}
