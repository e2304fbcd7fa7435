"""Reading what the word-of-mouth summary is computed from: conversations' message timelines."""

from collections import defaultdict

from django.db import connection

from townsquare.insights.models import MessageFact
from townsquare.insights.rows import IDS_PER_QUERY, moment_reader

MESSAGE_TABLE = MessageFact._meta.db_table


def read_timelines(conversation_ids: list[int]) -> dict[int, list[tuple]]:
    """conversation id -> [(written_at, direction, sentiment, promo_score)], oldest first; messages
    written in the same instant keep their id order (as the database would sort them)."""
    found = defaultdict(list)
    moment = moment_reader()
    with connection.cursor() as cursor:
        for start in range(0, len(conversation_ids), IDS_PER_QUERY):
            part = conversation_ids[start : start + IDS_PER_QUERY]
            cursor.execute(
                f"SELECT conversation_id, written_at, message_id, direction, sentiment, promo_score "
                f"FROM {MESSAGE_TABLE} WHERE conversation_id IN ({', '.join(['%s'] * len(part))})",
                part,
            )
            for cid, written_at, message_id, direction, sentiment, promo_score in cursor.fetchall():
                found[cid].append((moment(written_at), message_id, direction, sentiment, promo_score))
    return {cid: [(at, d, s, p) for at, _, d, s, p in sorted(rows)] for cid, rows in found.items()}


def conversations_of(message_ids) -> set[int]:
    """The conversations of these message facts (not frozen ones): one query per IDS_PER_QUERY."""
    ids = sorted(message_ids)
    found = set()
    with connection.cursor() as cursor:
        for start in range(0, len(ids), IDS_PER_QUERY):
            part = ids[start : start + IDS_PER_QUERY]
            cursor.execute(
                f"SELECT DISTINCT conversation_id FROM {MESSAGE_TABLE} WHERE message_id IN "
                f"({', '.join(['%s'] * len(part))}) AND conversation_id IS NOT NULL AND NOT frozen",
                part,
            )
            found.update(cid for (cid,) in cursor.fetchall())
    return found


def rescan_relabelled(batch) -> None:
    """Messages folded in an earlier batch whose sentiment changed in this one: their conversations'
    word-of-mouth summaries are derived again (one query for the conversations)."""
    if not batch.message_updates:
        return
    conversations = conversations_of(batch.message_updates)
    batch.preload(conversations)
    for cid in conversations:
        fact = batch.facts.get(cid)
        if fact is not None and not fact.frozen:
            batch.rescan.add(cid)
            batch.touched.add(cid)
