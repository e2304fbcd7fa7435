"""From events to deliveries: which internal events become which webhook kinds, and for whom.

Deliveries are written in the transaction of the event they report and sent after it commits,
so a rolled-back change sends nothing and a slow receiver never holds up the change itself.
Two entry points: a post_save receiver for events written one at a time (services), and
`deliver_new_conversations` for ingest, which inserts its events in bulk without signals.
"""

import uuid

from django.db import connection
from django.utils import timezone

from townsquare.events.models import Event
from townsquare.hooks import payloads
from townsquare.hooks.models import Delivery, DeliveryStatus, Endpoint, WebhookKind
from townsquare.hooks.tasks import schedule_endpoints
from townsquare.inbox.ingest.bulk_sql import datetime_adapter, db_json, insert_many
from townsquare.inbox.models import Channel, Conversation

DIRECT = {
    "conversation.created": WebhookKind.CREATED,
    "conversation.assigned": WebhookKind.ASSIGNED,
    "message.sent": WebhookKind.REPLIED,
    "sla.breached": WebhookKind.SLA_BREACHED,
}


def webhook_kind(event_kind: str, data: dict | None) -> str | None:
    """The webhook kind an internal event is sent as, or None when it is not sent."""
    if event_kind == "conversation.status_changed":
        return WebhookKind.RESOLVED if (data or {}).get("to") == "resolved" else None
    return DIRECT.get(event_kind)


def subscribers(kind: str) -> list[Endpoint]:
    """Active endpoints subscribed to `kind`: one query (endpoints are few; their kinds are JSON)."""
    return [e for e in Endpoint.objects.filter(is_active=True).only("id", "kinds") if e.subscribes_to(kind)]


def on_event_saved(sender, instance: Event, created: bool, raw: bool = False, **kwargs) -> None:
    """post_save receiver on events.Event (connected in HooksConfig.ready)."""
    if not created or raw:
        return
    kind = webhook_kind(instance.kind, instance.data)
    if kind is None or instance.conversation_id is None:
        return
    endpoints = subscribers(kind)
    if not endpoints:
        return
    conversation = (
        Conversation.objects.select_related("channel", "queue", "assignee")
        .filter(pk=instance.conversation_id)
        .first()
    )
    if conversation is None:
        return
    summary = payloads.conversation_summary(conversation)
    details = payloads.details_for(kind, instance)
    _create(
        endpoints,
        [(instance.pk, kind, instance.occurred_at, summary, details)],
    )


def deliver_new_conversations(channel_id: int, conversation_ids: list[int], occurred_at) -> int:
    """Ingest's call after inserting `conversation.created` events in bulk; returns deliveries made.

    One query when nobody subscribes, which is the common case and keeps ingest fast.
    """
    if not conversation_ids:
        return 0
    endpoints = subscribers(WebhookKind.CREATED)
    if not endpoints:
        return 0
    channel = Channel.objects.only("id", "name", "kind").get(pk=channel_id)
    event_ids = _created_event_ids(conversation_ids)
    reports = [
        (
            event_ids.get(cid),
            WebhookKind.CREATED,
            occurred_at,
            payloads.new_conversation_summary(cid, channel),
            None,
        )
        for cid in conversation_ids
    ]
    return _create(endpoints, reports)


def _created_event_ids(conversation_ids: list[int]) -> dict[int, int]:
    """conversation id -> id of its `conversation.created` event, which ingest just inserted.

    A range on the conversation_id index: ingest allocates a batch's ids in one run, and a
    range is planned well even before the new rows are in the table's statistics.
    """
    wanted = set(conversation_ids)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT conversation_id, id FROM {Event._meta.db_table}"
            " WHERE conversation_id BETWEEN %s AND %s AND kind = %s",
            [min(wanted), max(wanted), "conversation.created"],
        )
        return {cid: eid for cid, eid in cursor.fetchall() if cid in wanted}


PENDING = DeliveryStatus.PENDING.value
DELIVERY_COLUMNS = [
    "endpoint_id",
    "uuid",
    "event_id",
    "kind",
    "payload",
    "status",
    "attempts",
    "next_attempt_at",
    "last_error",
    "created_at",
]


def _create(endpoints: list[Endpoint], reports: list[tuple]) -> int:
    """One delivery per (endpoint, report), in report order so ids keep the events' order.

    Written with ingest's bulk insert (COPY on PostgreSQL): the ORM's bulk_create cost ingest
    0.5 ms per delivery, more than storing the conversation itself.
    """
    to_db = datetime_adapter()
    now = to_db(timezone.now())
    uuid_text = (lambda u: u.hex) if connection.vendor == "sqlite" else str
    rows = []
    for event_id, kind, occurred_at, summary, details in reports:
        for endpoint in endpoints:
            delivery_uuid = uuid.uuid4()
            payload = payloads.build(str(delivery_uuid), kind, occurred_at, summary, details)
            rows.append(
                (
                    endpoint.pk,
                    uuid_text(delivery_uuid),
                    event_id,
                    kind,
                    db_json(payload),
                    PENDING,
                    0,
                    now,
                    "",
                    now,
                )
            )
    insert_many(Delivery._meta.db_table, DELIVERY_COLUMNS, rows)
    schedule_endpoints(e.pk for e in endpoints)
    return len(rows)
