"""The webhook's request body for the OpenAPI document.

The handler reads the raw bytes itself (the signature covers them exactly), so the body is
described here rather than parsed by a schema.
"""

from django.conf import settings

MESSAGE = {
    "type": "object",
    "required": ["id", "author", "text", "created_at"],
    "properties": {
        "id": {"type": ["string", "integer"], "description": "unique per channel; a repeat is a duplicate"},
        "author": {
            "description": "the author's id on the channel, or an object with it",
            "oneOf": [
                {"type": ["string", "integer"]},
                {
                    "type": "object",
                    "required": ["id"],
                    "properties": {
                        "id": {"type": ["string", "integer"]},
                        "handle": {"type": "string"},
                        "name": {"type": "string"},
                    },
                },
            ],
        },
        "direction": {"type": "string", "enum": ["in", "out"], "default": "in"},
        "text": {"type": "string", "description": "at most 64 KB of UTF-8"},
        "created_at": {"type": "string", "format": "date-time", "description": "with a zone offset or Z"},
        "in_reply_to": {"type": ["string", "integer", "null"], "description": "the parent message's id"},
    },
}

REQUEST_BODY = {
    "required": True,
    "description": "Signed: X-Townsquare-Signature = sha256=HMAC-SHA256(secret, timestamp + '.' + body).",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["messages"],
                "properties": {
                    "messages": {
                        "type": "array",
                        "minItems": 1,
                        "maxItems": settings.WEBHOOK_MAX_BATCH,
                        "items": MESSAGE,
                    }
                },
                "example": {
                    "messages": [
                        {
                            "id": "m-1001",
                            "author": {"id": "u-7", "handle": "@dana", "name": "Dana"},
                            "direction": "in",
                            "text": "Where is my order?",
                            "created_at": "2026-11-20T10:15:00Z",
                            "in_reply_to": None,
                        }
                    ]
                },
            }
        }
    },
}
