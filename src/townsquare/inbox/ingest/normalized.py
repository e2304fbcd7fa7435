"""The normalized inbound message every channel produces, and its validation.

The JSONL import format and the webhook body use the same object shape (see the README):

    {"id": "m-1001", "author": {"id": "u-7", "handle": "@dana", "name": "Dana"},
     "direction": "in", "text": "¿Dónde está mi pedido?", "created_at": "2026-11-20T10:15:00Z",
     "in_reply_to": null}
"""

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

MAX_TEXT_BYTES = 64 * 1024
MAX_ID_LENGTH = 191


class RejectError(ValueError):
    """A message that cannot be stored, with the reason shown in reject reports and API errors."""


@dataclass(slots=True)
class InboundMessage:
    external_id: str
    author_id: str
    text: str
    created_at: datetime
    direction: str = "in"
    author_handle: str = ""
    author_name: str = ""
    parent_external_id: str | None = None
    raw: dict = field(default_factory=dict)


def check_text(text: str) -> str:
    if len(text) * 4 > MAX_TEXT_BYTES and len(text.encode("utf-8")) > MAX_TEXT_BYTES:
        raise RejectError(f"text is over 64 KB ({len(text.encode('utf-8'))} bytes)")
    if "\x00" in text:
        raise RejectError("text contains a NUL character")
    return text


def check_id(value, name: str, required: bool = True) -> str | None:
    if value is None or value == "":
        if required:
            raise RejectError(f"missing {name}")
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise RejectError(f"{name} must be a string or an integer, not {type(value).__name__}")
    value = str(value).strip()
    if not value:
        if required:
            raise RejectError(f"missing {name}")
        return None
    if len(value) > MAX_ID_LENGTH:
        raise RejectError(f"{name} is longer than {MAX_ID_LENGTH} characters")
    return value


def parse_iso_datetime(value, name: str = "created_at") -> datetime:
    if not isinstance(value, str):
        raise RejectError(f"{name} must be an ISO 8601 string, not {type(value).__name__}")
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise RejectError(f"{name} {value[:40]!r} is not an ISO 8601 date and time") from None
    if moment.tzinfo is None:
        raise RejectError(f"{name} {value[:40]!r} has no time zone (add Z or +00:00)")
    return moment.astimezone(UTC)


def message_from_dict(obj) -> InboundMessage:
    """Validate one message object (JSONL line or webhook item); raise RejectError saying what is wrong."""
    if not isinstance(obj, dict):
        raise RejectError(f"a message must be a JSON object, not {type(obj).__name__}")
    author = obj.get("author")
    if isinstance(author, dict):
        author_id = check_id(author.get("id"), "author.id")
        handle, name = author.get("handle") or "", author.get("name") or ""
    else:
        author_id = check_id(author, "author")
        handle, name = "", ""
    if not isinstance(handle, str) or not isinstance(name, str):
        raise RejectError("author.handle and author.name must be strings")
    direction = obj.get("direction", "in")
    if direction not in ("in", "out"):
        raise RejectError(f"direction must be 'in' or 'out', not {direction!r}")
    text = obj.get("text")
    if not isinstance(text, str):
        raise RejectError(
            "missing text" if text is None else f"text must be a string, not {type(text).__name__}"
        )
    return InboundMessage(
        external_id=check_id(obj.get("id"), "id"),
        author_id=author_id,
        author_handle=handle[:200],
        author_name=name[:200],
        direction=direction,
        text=check_text(text),
        created_at=parse_iso_datetime(obj.get("created_at")),
        parent_external_id=check_id(obj.get("in_reply_to"), "in_reply_to", required=False),
        raw=obj,
    )


def message_from_json_line(line: str) -> InboundMessage:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise RejectError(f"invalid JSON: {exc.msg} at column {exc.colno}") from None
    return message_from_dict(obj)
