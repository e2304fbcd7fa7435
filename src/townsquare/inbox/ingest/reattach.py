"""Re-attach replies that arrived before their parent: merge their provisional conversation.

A reply whose parent is not stored yet starts a conversation of its own. When the parent
arrives (in a later batch, file, or webhook call) the reply gets its parent id and its whole
provisional conversation is merged into the parent's; a `conversation.merged` event says so.
"""

from django.db import connection
from django.db.models import F

from townsquare.events.log import record
from townsquare.inbox.ingest.bulk_sql import select_in
from townsquare.inbox.models import Conversation, Message

MESSAGE = Message._meta.db_table
# With `parent_external_id IN (…)` this matches the partial index message_orphans by equality.
# Do not add "parent_external_id IS NOT NULL": the IN already implies it, and spelling it out
# makes SQLite scan every orphan of the channel as a range, once per batch.
ORPHANS_OF_CHANNEL = "channel_id = %s AND parent_id IS NULL"


def reattach_orphans(channel_id: int, new_ids: dict[str, int], conversation_of: dict[str, int], now) -> int:
    """Orphans already stored whose parent is among the messages just stored; returns merges done."""
    orphans = select_in(
        MESSAGE,
        ["id", "conversation_id", "parent_external_id"],
        "parent_external_id",
        sorted(new_ids),
        where=ORPHANS_OF_CHANNEL,
        params=(channel_id,),
    )
    links = [
        (orphan_id, orphan_conversation, new_ids[parent], conversation_of[parent])
        for orphan_id, orphan_conversation, parent in orphans
    ]
    return _link(links, now, channel_id)


def sweep_orphans(channel_id: int, now) -> int:
    """Re-attach every orphan whose parent is stored (closes races between concurrent writers)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT c.id, c.conversation_id, p.id, p.conversation_id FROM {MESSAGE} c"
            f" JOIN {MESSAGE} p ON p.channel_id = c.channel_id AND p.external_id = c.parent_external_id"
            " WHERE c.channel_id = %s AND c.parent_id IS NULL AND c.parent_external_id IS NOT NULL"
            " AND p.conversation_id IS NOT NULL ORDER BY c.id",
            [channel_id],
        )
        links = cursor.fetchall()
    return _link(links, now, channel_id)


def _link(links: list[tuple[int, int, int, int]], now, channel_id: int) -> int:
    merged_into: dict[int, int] = {}

    def current(conversation_id: int) -> int:
        while conversation_id in merged_into:
            conversation_id = merged_into[conversation_id]
        return conversation_id

    merges = 0
    for orphan_id, orphan_conversation, parent_id, parent_conversation in links:
        Message.objects.filter(pk=orphan_id).update(parent_id=parent_id)
        source, target = current(orphan_conversation), current(parent_conversation)
        if source == target:
            continue
        _merge(source, target, now, channel_id)
        merged_into[source] = target
        merges += 1
    return merges


def _merge(source_id: int, target_id: int, now, channel_id: int) -> None:
    source = Conversation.objects.get(pk=source_id)
    target = Conversation.objects.select_for_update().get(pk=target_id)
    moved = Message.objects.filter(conversation_id=source_id).update(conversation_id=target_id)
    Conversation.objects.filter(pk=target_id).update(
        message_count=F("message_count") + moved,
        started_at=min(source.started_at, target.started_at),
        last_activity_at=max(source.last_activity_at, target.last_activity_at),
        customer_id=target.customer_id or source.customer_id,
        updated_at=now,
    )
    source.delete()
    record(
        "conversation.merged",
        channel_id=channel_id,
        conversation_id=target_id,
        data={"from": source_id, "into": target_id, "moved_messages": moved, "reason": "parent arrived"},
        occurred_at=now,
    )
