"""Writing one fold batch: new and changed message facts, merges, then conversation facts."""

from collections import defaultdict

from django.db import connection

from townsquare.insights.folding import FoldBatch
from townsquare.insights.models import ConversationFact, MessageFact

FACT_COLUMNS = [f.name for f in ConversationFact._meta.concrete_fields if not f.primary_key]
MESSAGE_TABLE = MessageFact._meta.db_table
# SQLite caps the number of bound parameters in one statement.
IDS_PER_QUERY = 900


def write_batch(batch: FoldBatch, derive) -> None:
    if batch.new_messages:
        MessageFact.objects.bulk_create(batch.new_messages.values(), ignore_conflicts=True, batch_size=500)
    _update_messages(batch.message_updates)
    with connection.cursor() as cursor:
        for source, target in batch.merges:
            cursor.execute(
                f"UPDATE {MESSAGE_TABLE} SET conversation_id = %s WHERE conversation_id = %s AND NOT frozen",
                [target, source],
            )
    _rescan(batch)
    changed = [batch.facts[cid] for cid in batch.touched if cid in batch.facts]
    live = [fact for fact in changed if not fact.frozen]
    batch.hold(live)
    derive(live)
    if changed:
        ConversationFact.objects.bulk_create(
            changed,
            update_conflicts=True,
            unique_fields=["conversation_id"],
            update_fields=FACT_COLUMNS,
            batch_size=500,
        )


def _update_messages(updates: dict[int, dict]) -> None:
    by_columns = defaultdict(list)
    for message_id, values in updates.items():
        columns = tuple(sorted(values))
        by_columns[columns].append((*(values[c] for c in columns), message_id))
    with connection.cursor() as cursor:
        for columns, rows in by_columns.items():
            assignments = ", ".join(f"{column} = %s" for column in columns)
            cursor.executemany(
                f"UPDATE {MESSAGE_TABLE} SET {assignments} WHERE message_id = %s AND NOT frozen", rows
            )


def _rescan(batch: FoldBatch) -> None:
    """Message-derived fields, read again from all of the conversation's message facts: exact
    whatever order the messages arrived in."""
    ids = sorted(cid for cid in batch.rescan if cid in batch.facts and not batch.facts[cid].frozen)
    timeline = defaultdict(list)
    for start in range(0, len(ids), IDS_PER_QUERY):
        rows = MessageFact.objects.filter(conversation_id__in=ids[start : start + IDS_PER_QUERY]).values_list(
            "conversation_id", "written_at", "direction"
        )
        for cid, written_at, direction in rows:
            timeline[cid].append((written_at, direction))
    for cid in ids:
        apply_timeline(batch.facts[cid], sorted(timeline.get(cid, ())))


def apply_timeline(fact: ConversationFact, messages: list[tuple]) -> None:
    """Set the fact's message fields from its (written_at, direction) pairs, oldest first."""
    inbound = [at for at, direction in messages if direction == "in"]
    outbound = [at for at, direction in messages if direction == "out"]
    fact.inbound_count, fact.outbound_count = len(inbound), len(outbound)
    fact.first_inbound_at = inbound[0] if inbound else None
    fact.last_inbound_at = inbound[-1] if inbound else None
    fact.last_outbound_at = outbound[-1] if outbound else None
    if messages:
        fact.started_at = fact.first_inbound_at or messages[0][0]
    after = [at for at in outbound if fact.first_inbound_at is not None and at >= fact.first_inbound_at]
    fact.first_response_at = after[0] if after else None
