"""Turning an OpenAPI operation into a request: its path ids from the world, a minimal valid body."""

import json
import re

from django.core.files.uploadedfile import SimpleUploadedFile

API_PREFIX = "/api/v1"
PATH_PARAM = re.compile(r"\{(\w+)\}")

# Minimal bodies that pass validation, so a refused role is refused for who it is, not for
# what it sent (a body is validated before the handler checks the caller).
BODIES = {
    "POST /conversations/{conversation_id}/escalate": lambda ids: {
        "reason": "needs staff",
        "to_level": "agent",
    },
    "POST /conversations/{conversation_id}/assign": lambda ids: {"assignee_id": ids["agent_id"]},
    "POST /conversations/{conversation_id}/unassign": lambda ids: {},
    "POST /queues": lambda ids: {"name": "Billing queue"},
    "PATCH /queues/{queue_id}": lambda ids: {"position": 5},
    "POST /agents/me/presence": lambda ids: {"presence": "away"},
    "PATCH /agents/{agent_id}": lambda ids: {"capacity": 4},
    "POST /messages/{message_id}/corrections": lambda ids: {"field": "kind", "value": "problem"},
    "POST /channels": lambda ids: {"name": "new-channel", "kind": "webhook"},
    # Switching the community channel off is a change (with its event) every connector accepts.
    "PATCH /channels/{channel_id}": lambda ids: {"is_active": False},
    "POST /channels/{channel_id}/messages": lambda ids: {"messages": []},
    "POST /tokens": lambda ids: {"name": "script"},
    "POST /webhooks": lambda ids: {"url": "https://hooks.example.com/in", "kinds": ["conversation.created"]},
    "PATCH /webhooks/{endpoint_id}": lambda ids: {"description": "CRM"},
    "POST /customers/{customer_id}/consent": lambda ids: {
        "purpose": "offers",
        "granted": True,
        "source": "api",
        "wording": "May we send you offers?",
    },
    "POST /guard/check": lambda ids: {"text": "Thanks for waiting, it is fixed now."},
    "POST /customers/{customer_id}/merge": lambda ids: {
        "other": ids["other_customer_id"],
        "reason": "same person",
    },
    "POST /identities/{identity_id}/split": lambda ids: {"reason": "not the same person"},
    "POST /sla/calendars": lambda ids: {"name": "Weekend desk"},
    "POST /insights/periods": lambda ids: {"period": "2020-01", "time_zone": "UTC"},
    "POST /insights/periods/{period_id}/recompute": lambda ids: {"reason": "late corrections"},
    "PUT /insights/cost-model": lambda ids: {"deflection_share": 0.25},
    "PATCH /sla/calendars/{calendar_id}": lambda ids: {"time_zone": "Europe/Berlin"},
    "POST /sla/policies": lambda ids: {"name": "Urgent", "priority": "urgent", "first_response_minutes": 15},
    "PATCH /sla/policies/{policy_id}": lambda ids: {"first_response_minutes": 30},
    "POST /conversations/{conversation_id}/replies": lambda ids: {"text": "We are looking into it."},
    "POST /conversations/{conversation_id}/status": lambda ids: {"status": "open"},
    "POST /conversations/{conversation_id}/notes": lambda ids: {"text": "Checked the order."},
    "POST /conversations/{conversation_id}/publish": lambda ids: {"space_id": ids["space_id"]},
    "POST /canned-replies": lambda ids: {"title": "Hello", "shortcut": "hello", "text": "Hello!"},
    "PATCH /canned-replies/{canned_id}": lambda ids: {"title": "Thanks again"},
    "POST /community/spaces": lambda ids: {"slug": "speakers", "name": "Speakers"},
    "PATCH /community/spaces/{space_id}": lambda ids: {"description": "Headphones and speakers"},
    "POST /community/topics": lambda ids: {
        "space_id": ids["space_id"],
        "title": "Nothing plays after the update",
        "body": "The app shows an error when I press play.",
    },
    "PATCH /community/topics/{topic_id}": lambda ids: {"title": "My headphones still will not pair"},
    "POST /community/topics/{topic_id}/answers": lambda ids: {"body": "Reset them, then pair again."},
    "POST /community/topics/{topic_id}/comments": lambda ids: {"body": "Which model is it?"},
    "POST /community/topics/{topic_id}/vote": lambda ids: {"value": 1},
    "PATCH /community/posts/{post_id}": lambda ids: {"body": "Hold the button for 15 s."},
    "POST /community/posts/{post_id}/comments": lambda ids: {"body": "That helped, thanks."},
    "POST /community/posts/{post_id}/vote": lambda ids: {"value": 1},
    "POST /community/flags": lambda ids: {"post_id": ids["post_id"], "reason": "spam"},
    "POST /community/topics/{topic_id}/moderation": lambda ids: {
        "action": "close",
        "reason": "Solved; the thread turned into arguments",
    },
    "POST /community/posts/{post_id}/moderation": lambda ids: {
        "action": "hide",
        "reason": "Advert for a shop",
    },
    "POST /community/suspensions": lambda ids: {
        "user_id": ids["suspended_user_id"],
        "days": 14,
        "reason": "Kept insulting members",
    },
    "DELETE /community/suspensions/{suspension_id}": lambda ids: {"reason": "Apologised to everyone"},
    "PATCH /community/spaces/{space_id}/slow-mode": lambda ids: {"seconds": 120, "reason": "Heated thread"},
    "POST /community/proposals": lambda ids: {
        "kind": "amend",
        "guideline_id": ids["guideline_id"],
        "title": "Be kind",
        "text": "Criticise ideas, never people.",
        "rationale": "Sharper wording.",
    },
    "POST /community/proposals/{proposal_id}/comments": lambda ids: {"body": "Agreed."},
    "POST /community/proposals/{proposal_id}/votes": lambda ids: {"choice": "yes"},
    "POST /community/members/{user_id}/trust-level": lambda ids: {"level": 2, "reason": "helps a lot"},
    "POST /community/ambassadors/invites": lambda ids: {"user_id": ids["user_id"], "level": 2},
    "POST /community/notifications/read": lambda ids: {"all": True},
    "PATCH /community/notifications/settings": lambda ids: {"digest": "daily"},
    "POST /community/subscriptions": lambda ids: {"topic_id": ids["topic_id"]},
}
MULTIPART = {
    "POST /channels/{channel_id}/imports": lambda ids: {
        "format": "jsonl",
        "file": SimpleUploadedFile(
            "export.jsonl",
            b'{"id": "1", "author": "u", "text": "hi", "created_at": "2026-11-20T10:00:00Z"}\n',
        ),
    },
}


def operations(schema: dict) -> list[str]:
    """Every operation as "METHOD /path" with the /api/v1 prefix dropped."""
    found = []
    for path, methods in schema["paths"].items():
        for method in methods:
            found.append(f"{method.upper()} {path.removeprefix(API_PREFIX)}")
    return sorted(found)


def call(client, operation: str, ids: dict, headers: dict):
    method, path = operation.split(" ", 1)
    url = API_PREFIX + PATH_PARAM.sub(lambda m: str(ids[m.group(1)]), path)
    if operation in MULTIPART:
        return client.post(url, MULTIPART[operation](ids), headers=headers)
    body = BODIES.get(operation)
    if method == "GET":
        return client.get(url, headers=headers)
    kwargs = {"content_type": "application/json", "data": json.dumps(body(ids))} if body else {}
    return getattr(client, method.lower())(url, headers=headers, **kwargs)
