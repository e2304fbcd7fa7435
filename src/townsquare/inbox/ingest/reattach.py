"""Re-attach replies that arrived before their parent: merge their provisional conversation.

A reply whose parent is not stored yet starts a conversation of its own. When the parent
arrives (in a later batch, file, or webhook call) the reply gets its parent id and its whole
provisional conversation is merged into the parent's; a `conversation.merged` event says so.
"""

from django.db import connection

from townsquare.events.log import BULK_COLUMNS
from townsquare.events.models import Event
from townsquare.inbox.ingest.bulk_sql import datetime_adapter, db_json, execute_many, insert_many, select_in
from townsquare.inbox.models import Conversation, Message

MESSAGE = Message._meta.db_table
CONVERSATION = Conversation._meta.db_table
EVENT = Event._meta.db_table
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
    """Set each orphan's parent and merge provisional conversations, a few statements per batch."""
    if not links:
        return 0
    execute_many(f"UPDATE {MESSAGE} SET parent_id = %s WHERE id = %s", [(p, o) for o, _, p, _ in links])
    merged_into: dict[int, int] = {}

    def current(conversation_id: int) -> int:
        while conversation_id in merged_into:
            conversation_id = merged_into[conversation_id]
        return conversation_id

    for _, orphan_conversation, _, parent_conversation in links:
        source, target = current(orphan_conversation), current(parent_conversation)
        if source != target:
            merged_into[source] = target
    if merged_into:
        _merge({source: current(source) for source in merged_into}, now, channel_id)
    return len(merged_into)


def _merge(into: dict[int, int], now, channel_id: int) -> None:
    """Move the messages of each source conversation to its target, fold in its counts, delete it."""
    involved = {
        c.pk: c
        for c in Conversation.objects.filter(pk__in={*into, *into.values()}).only(
            "started_at", "last_activity_at", "message_count", "customer_id"
        )
    }
    targets = {target: involved[target] for target in set(into.values())}
    for source, target in sorted(into.items()):
        folded, absorbed = targets[target], involved[source]
        folded.started_at = min(folded.started_at, absorbed.started_at)
        folded.last_activity_at = max(folded.last_activity_at, absorbed.last_activity_at)
        folded.message_count += absorbed.message_count
        folded.customer_id = folded.customer_id or absorbed.customer_id
    to_db = datetime_adapter()
    stamp = to_db(now)
    execute_many(
        f"UPDATE {MESSAGE} SET conversation_id = %s WHERE conversation_id = %s",
        [(target, source) for source, target in sorted(into.items())],
    )
    execute_many(
        f"UPDATE {CONVERSATION} SET started_at = %s, last_activity_at = %s, message_count = %s,"
        " customer_id = %s, updated_at = %s WHERE id = %s",
        [
            (to_db(c.started_at), to_db(c.last_activity_at), c.message_count, c.customer_id, stamp, c.pk)
            for c in sorted(targets.values(), key=lambda c: c.pk)
        ],
    )
    execute_many(f"DELETE FROM {CONVERSATION} WHERE id = %s", [(source,) for source in sorted(into)])
    insert_many(
        EVENT,
        BULK_COLUMNS,
        [
            (
                "conversation.merged",
                stamp,
                None,
                channel_id,
                target,
                None,
                db_json(
                    {
                        "from": source,
                        "into": target,
                        "moved_messages": involved[source].message_count,
                        "reason": "parent arrived",
                    }
                ),
            )
            for source, target in sorted(into.items())
        ],
    )
