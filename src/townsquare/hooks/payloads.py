"""What a delivery says: the webhook kind, when, the conversation, and the kind's own details.

Deliberately narrow: the conversation's routing state, never the customer's name, handle, email
or the text they wrote (it may hold personal data). The brand's own reply text is included for
`conversation.replied`. The README documents every field.
"""

from townsquare.hooks.models import WebhookKind
from townsquare.inbox.models import Conversation, Direction, Message


def conversation_summary(conversation: Conversation) -> dict:
    """Call with channel, queue and assignee selected (select_related) to avoid queries."""
    queue, assignee, channel = conversation.queue, conversation.assignee, conversation.channel
    return {
        "id": conversation.pk,
        "status": conversation.status,
        "channel": {"id": channel.pk, "name": channel.name, "kind": channel.kind},
        "queue": {"id": queue.pk, "name": queue.name} if queue else None,
        "assignee": {"id": assignee.pk, "username": assignee.username, "name": assignee.label}
        if assignee
        else None,
        "priority": conversation.priority,
        "language": conversation.language,
        "kind": conversation.kind,
    }


def new_conversation_summary(conversation_id: int, channel) -> dict:
    """A conversation ingest just inserted: it has no queue, assignee or labels yet."""
    return {
        "id": conversation_id,
        "status": "new",
        "channel": {"id": channel.pk, "name": channel.name, "kind": channel.kind},
        "queue": None,
        "assignee": None,
        "priority": "",
        "language": "",
        "kind": "",
    }


def build(delivery_id: str, kind: str, occurred_at, conversation: dict, details: dict | None = None) -> dict:
    return {
        "id": delivery_id,
        "event": kind,
        "occurred_at": occurred_at.isoformat(),
        "conversation": conversation,
        **(details or {}),
    }


def details_for(kind: str, event) -> dict:
    """The kind's own fields, from the event's data."""
    data = event.data or {}
    if kind == WebhookKind.ASSIGNED:
        return {"assignment": {"via": data.get("via", "")}}
    if kind == WebhookKind.RESOLVED:
        return {"previous_status": data.get("from", "")}
    if kind == WebhookKind.SLA_BREACHED:
        return {"sla": {"metric": data.get("metric", ""), "due_at": data.get("due_at")}}
    if kind == WebhookKind.REPLIED:
        return {"message": _reply(event.message_id or data.get("message_id"))}
    return {}


def _reply(message_id) -> dict | None:
    if not message_id:
        return None
    message = (
        Message.objects.filter(pk=message_id, direction=Direction.OUTBOUND)
        .only("id", "text", "created_at")
        .first()
    )
    if message is None:
        return None
    return {"id": message.pk, "text": message.text, "created_at": message.created_at.isoformat()}


def ping(delivery_id: str, occurred_at) -> dict:
    return {"id": delivery_id, "event": "ping", "occurred_at": occurred_at.isoformat()}
