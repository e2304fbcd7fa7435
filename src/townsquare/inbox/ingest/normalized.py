"""The normalized inbound message every channel produces, and its validation.

The JSONL import format and the webhook body use the same object shape (see the README):

    {"id": "m-1001", "author": {"id": "u-7", "handle": "@dana", "name": "Dana"},
     "direction": "in", "text": "¿Dónde está mi pedido?", "created_at": "2026-11-20T10:15:00Z",
     "in_reply_to": null}
"""

import json
import math
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

MAX_TEXT_BYTES = 64 * 1024
MAX_ID_LENGTH = 191
MAX_DEPTH = 32
# NUL and lone surrogates: valid in a JSON string, refused by PostgreSQL and by UTF-8 encoding.
UNSTORABLE_CHAR = re.compile("[\x00\ud800-\udfff]")


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
    # A conversation to join when the parent is unknown (an email's reply token); it may belong to
    # another channel. None, the default, costs bulk imports nothing.
    conversation_id: int | None = None
    # An automatic message (out-of-office, mailing list): stored in its thread, but it makes no
    # work: no triage, no waiting customer, no reopening.
    auto_reply: bool = False
    # `raw` already encoded as JSON by a reader that can do it cheaply (TWCS: a flat row of
    # strings); empty means store.py encodes `raw` itself.
    raw_json: str = ""


def text_problem(value: str) -> str | None:
    """Why this string cannot be stored, or None. ASCII strings, the common case, need one scan."""
    if value.isascii():
        return "contains a NUL character (\\u0000)" if "\x00" in value else None
    found = UNSTORABLE_CHAR.search(value)
    if found is None:
        return None
    if found.group() == "\x00":
        return "contains a NUL character (\\u0000)"
    return f"contains an unpaired surrogate ({ascii(found.group())[1:-1]}), which is not valid Unicode"


def unstorable_reason(obj) -> str | None:
    """Why obj cannot be kept as a message's raw payload, or None if it can.

    One recursive pass over the whole object: strings the database refuses, NaN/Infinity (not
    JSON, refused by jsonb), and more than MAX_DEPTH nested objects/arrays. The path to the bad
    value is only built on the way out of a failure, so a clean object costs nothing extra.
    """
    found = _find_unstorable(obj, 1)
    if found is None:
        return None
    path, reason = found
    where = "".join(map(_path_part, reversed(path or []))).lstrip(".")
    return f"{where} {reason}" if where else reason


def _path_part(key) -> str:
    if isinstance(key, str) and key.isidentifier() and len(key) <= 40:
        return f".{key}"
    return f"[{key!r:.40}]"


def _find_unstorable(obj, depth: int) -> tuple[list | None, str] | None:
    kind = type(obj)
    if kind is str:
        problem = text_problem(obj)
        return ([], problem) if problem else None
    if kind is dict or kind is list:
        if depth > MAX_DEPTH:
            # No path for this one: it would be MAX_DEPTH parts long.
            return None, f"nested deeper than {MAX_DEPTH} levels"
        items = obj.items() if kind is dict else enumerate(obj)
        for key, value in items:
            # Inline fast paths for ASCII strings: this runs for every field of every imported line.
            if type(key) is str and not (key.isascii() and "\x00" not in key):
                problem = text_problem(key)
                if problem:
                    return [], f"has a key that {problem}"
            if type(value) is str and value.isascii() and "\x00" not in value:
                continue
            found = _find_unstorable(value, depth + 1)
            if found is not None:
                if found[0] is not None:
                    found[0].append(key)
                return found
    elif kind is float and not math.isfinite(obj):
        return [], f"is {obj}, which is not a JSON number"
    return None


def _check_text_size(text: str) -> str:
    if len(text) * 4 > MAX_TEXT_BYTES and len(text.encode("utf-8", "surrogatepass")) > MAX_TEXT_BYTES:
        raise RejectError(f"text is over 64 KB ({len(text.encode('utf-8', 'surrogatepass'))} bytes)")
    return text


def check_text(text: str) -> str:
    _check_text_size(text)
    problem = text_problem(text)
    if problem:
        raise RejectError(f"text {problem}")
    return text


def check_id(value, name: str, required: bool = True) -> str | None:
    if value is None or value == "":
        if required:
            raise RejectError(f"missing {name}")
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise RejectError(f"{name} must be a string or an integer, not {type(value).__name__}")
    if isinstance(value, int) and value.bit_length() > 4 * MAX_ID_LENGTH:
        raise RejectError(f"{name} is longer than {MAX_ID_LENGTH} characters")
    value = str(value).strip()
    if not value:
        if required:
            raise RejectError(f"missing {name}")
        return None
    if len(value) > MAX_ID_LENGTH:
        raise RejectError(f"{name} is longer than {MAX_ID_LENGTH} characters")
    problem = text_problem(value)
    if problem:
        raise RejectError(f"{name} {problem}")
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
    try:
        return moment.astimezone(UTC)
    except (OverflowError, ValueError):
        # 0001-01-01T00:00+14:00 is a valid ISO date whose UTC time is before year 1.
        raise RejectError(f"{name} {value[:40]!r} is out of range in UTC") from None


def message_from_dict(obj) -> InboundMessage:
    """Validate one message object (JSONL line or webhook item); raise RejectError saying what is wrong."""
    if not isinstance(obj, dict):
        raise RejectError(f"a message must be a JSON object, not {type(obj).__name__}")
    # Checked once for the whole item, so the text and author fields below need no second scan.
    reason = unstorable_reason(obj)
    if reason:
        raise RejectError(reason)
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
        raise RejectError(f"direction must be 'in' or 'out', not {direction!r:.40}")
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
        text=_check_text_size(text),
        created_at=parse_iso_datetime(obj.get("created_at")),
        parent_external_id=check_id(obj.get("in_reply_to"), "in_reply_to", required=False),
        raw=obj,
    )


def message_from_json_line(line: str) -> InboundMessage:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise RejectError(f"invalid JSON: {exc.msg} at column {exc.colno}") from None
    except RecursionError:
        raise RejectError(f"nested deeper than {MAX_DEPTH} levels") from None
    return message_from_dict(obj)
