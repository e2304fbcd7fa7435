"""Reading a webhook body safely: bounded size, strict JSON (each item is then checked by
`message_from_dict`, which refuses values the database cannot store)."""

import json

from ninja.errors import HttpError


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
