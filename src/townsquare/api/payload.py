"""Reading a webhook body safely: bounded size, strict JSON, values every database can store."""

import json

from ninja.errors import HttpError

MAX_DEPTH = 32


def read_limited_body(request, limit: int) -> bytes:
    """The raw body, refusing (413) anything over limit bytes before and while reading it."""
    declared = request.META.get("CONTENT_LENGTH") or ""
    if declared:
        if not declared.isdigit():
            raise HttpError(400, "Content-Length is not a number")
        if int(declared) > limit:
            raise HttpError(413, f"body is over {limit} bytes")
    # Read one byte past the limit: a body longer than it claimed is caught without buffering it all.
    body = request.read(limit + 1)
    if len(body) > limit:
        raise HttpError(413, f"body is over {limit} bytes")
    return body


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not valid JSON")


def parse_json(body: bytes):
    if not body.strip():
        raise HttpError(400, "body is empty; send a JSON object")
    try:
        # NaN/Infinity are not JSON and PostgreSQL's jsonb refuses them.
        return json.loads(body, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as exc:
        reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc) or "too deeply nested"
        raise HttpError(400, f"body is not valid JSON: {reason}") from None


def unstorable_reason(obj) -> str | None:
    """Why obj cannot be kept as the message's raw payload, or None if it can.

    JSON allows "\\u0000" and lone surrogates like "\\ud800"; PostgreSQL's jsonb and UTF-8
    encoding refuse them, which would fail the whole batch in the database.
    """
    stack = [(obj, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            return f"nested deeper than {MAX_DEPTH} levels"
        if isinstance(value, dict):
            for key, item in value.items():
                stack.append((key, depth))
                stack.append((item, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
        elif isinstance(value, str):
            if "\x00" in value:
                return "contains a NUL character (\\u0000)"
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return "contains an unpaired surrogate (not valid Unicode)"
    return None
