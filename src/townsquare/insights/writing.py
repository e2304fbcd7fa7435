"""Writing one fold batch: new and changed message facts, merges, then conversation facts."""

from collections import defaultdict

from django.db import connection

from townsquare.insights.folding import FoldBatch
from townsquare.insights.models import ConversationFact, MessageFact
from townsquare.insights.promo_folds import marketing_threshold
from townsquare.insights.rows import execute_bound, execute_many, time_writer
from townsquare.insights.wom_summary import apply_summary
from townsquare.insights.wom_timeline import read_timelines, rescan_relabelled

FACT_COLUMNS = [f.name for f in ConversationFact._meta.concrete_fields if not f.primary_key]
MESSAGE_TABLE = MessageFact._meta.db_table
FACT_TABLE = ConversationFact._meta.db_table
# Fields whose Python values the database drivers take as they are.
PLAIN_TYPES = frozenset(
    ("BigIntegerField", "IntegerField", "SmallIntegerField", "FloatField", "CharField", "BooleanField")
)
# PostgreSQL array types of the fields, for writing many rows as one unnest().
PG_ARRAYS = {
    "BigIntegerField": "bigint[]",
    "IntegerField": "integer[]",
    "SmallIntegerField": "smallint[]",
    "FloatField": "float8[]",
    "CharField": "text[]",
    "BooleanField": "boolean[]",
    "DateTimeField": "timestamptz[]",
}


def write_batch(batch: FoldBatch, derive) -> None:
    if batch.new_messages:
        insert_rows(MessageFact, batch.new_messages.values(), replace=False)
    _update_messages(batch.message_updates)
    with connection.cursor() as cursor:
        for source, target in batch.merges:
            cursor.execute(
                f"UPDATE {MESSAGE_TABLE} SET conversation_id = %s WHERE conversation_id = %s AND NOT frozen",
                [target, source],
            )
    rescan_relabelled(batch)
    _rescan(batch)
    changed = [batch.facts[cid] for cid in batch.touched if cid in batch.facts]
    live = [fact for fact in changed if not fact.frozen]
    batch.hold(live)
    derive(live)
    for fact in live:
        fact.last_event_id = batch.stamp
    if changed:
        insert_rows(ConversationFact, changed, replace=True)


def insert_rows(model, objects, *, replace: bool) -> None:
    """INSERT the objects' rows; on a primary-key conflict, overwrite the row (`replace`) or keep
    it. Plain SQL (the ORM's bulk_create spent more time building its SQL than the database spent
    writing a fold batch): on PostgreSQL one statement over column arrays, on SQLite one prepared
    statement run for every row."""
    fields = model._meta.concrete_fields
    adapt = [_adapter(field) for field in fields]
    names = [field.column for field in fields]
    key = model._meta.pk.column
    if replace:
        conflict = "DO UPDATE SET " + ", ".join(f"{name} = excluded.{name}" for name in names if name != key)
    else:
        conflict = "DO NOTHING"
    plain = [(field.attname, fn) for field, fn in zip(fields, adapt, strict=True)]
    rows = [
        [getattr(obj, name) if fn is None else fn(getattr(obj, name)) for name, fn in plain]
        for obj in objects
    ]
    if not rows:
        return
    types = [PG_ARRAYS.get(field.get_internal_type()) for field in fields]
    if connection.vendor == "postgresql" and all(types):
        # One statement whatever the number of rows: each column as one array, unnested.
        arrays = ", ".join(f"%s::{array}" for array in types)
        sql = f"INSERT INTO {model._meta.db_table} ({', '.join(names)}) SELECT * FROM unnest({arrays}) "
        execute_bound(
            sql + f"ON CONFLICT ({key}) {conflict}", [list(column) for column in zip(*rows, strict=True)]
        )
        return
    marks = ", ".join(["%s"] * len(names))
    sql = f"INSERT INTO {model._meta.db_table} ({', '.join(names)}) VALUES ({marks}) "
    execute_many(sql + f"ON CONFLICT ({key}) {conflict}", rows)


def _adapter(field):
    """How a value of this field goes to the database, or None: as it is."""
    if field.get_internal_type() == "DateTimeField":
        return time_writer()
    if field.get_internal_type() not in PLAIN_TYPES:
        return lambda value, field=field: field.get_db_prep_save(value, connection)
    return None


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
    timelines = read_timelines(ids)
    threshold = marketing_threshold()
    for cid in ids:
        messages = timelines.get(cid, [])
        apply_timeline(batch.facts[cid], [(at, direction) for at, direction, _, _ in messages])
        apply_summary(batch.facts[cid], messages, threshold)


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
