"""Posting signed webhook deliveries the way a sender would."""

import json
import time

from townsquare.inbox.webhook import sign


def message(n: int = 1, **fields) -> dict:
    item = {
        "id": f"m-{n}",
        "author": {"id": "u-7", "handle": "@dana", "name": "Dana"},
        "direction": "in",
        "text": f"Where is my order #{n}?",
        "created_at": "2026-11-20T10:15:00Z",
    }
    item.update(fields)
    return item


def post_signed(client, channel, body, *, timestamp=None, secret=None, query="", headers=None, **extra):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    signed = {
        "X-Townsquare-Timestamp": stamp,
        "X-Townsquare-Signature": sign(secret or channel.secret, stamp, raw),
        **(headers or {}),
    }
    return client.post(
        f"/api/v1/channels/{channel.pk}/messages{query}",
        data=raw,
        content_type="application/json",
        headers=signed,
        **extra,
    )
