"""Reading word of mouth from the message facts in one query, fast at a million messages.

What a report needs: labelled customer messages and scored brand posts counted per UTC hour (for
the series), and each conversation's messages in time order (for the windows around its brand
post). PostgreSQL does both itself and sends a few rows an hour plus one digit a message, in one
text; SQLite sends two numbers a message (its GROUP BY and window functions sort the whole table,
and group_concat does not promise an order), which numpy counts and orders without building a
Python object per message.
"""

import numpy as np
from django.db import connection

from townsquare.insights.filters import Filters
from townsquare.insights.frame import epoch_sql, fact_conditions
from townsquare.insights.impact import windows_around_posts
from townsquare.insights.models import ConversationFact, MessageFact
from townsquare.insights.timebuckets import HOUR

# Customer messages compared on each side of a brand post (the K nearest before and after it).
WINDOW_MESSAGES = 3
# Codes of messages: customer sentiment −1/0/1 as 0/1/2, then brand posts by kind.
MARKETING, HELP = 3, 4


def _conversations(filters: Filters) -> tuple[str, list]:
    """A condition on `conversation_id` keeping the frame's conversations, and its parameters.

    Written as "not one of the others": every message's conversation has a fact, and with the
    usual filters the others are few (merged, held), so each message costs one lookup in a small
    hashed set, where "one of the wanted" made the databases join 200,000 conversations."""
    where, params = fact_conditions(filters)
    facts = ConversationFact._meta.db_table
    # COALESCE: a condition on a NULL column is unknown, and that conversation is not wanted.
    return (
        f"NOT IN (SELECT conversation_id FROM {facts} WHERE NOT COALESCE(({' AND '.join(where)}), FALSE))",
        params,
    )


def _wanted(filters: Filters, threshold: float) -> tuple[str, str, list]:
    """(the message's code as SQL, the condition on wanted messages, their parameters)."""
    conversations, params = _conversations(filters)
    code = f"CASE WHEN direction = 'in' THEN sentiment + 1 WHEN promo_score >= %s THEN {MARKETING} ELSE {HELP} END"
    wanted = (
        f"conversation_id IS NOT NULL AND conversation_id {conversations} AND ((direction = 'in' AND "
        "sentiment IS NOT NULL) OR (direction = 'out' AND promo_score IS NOT NULL))"
    )
    return code, wanted, [threshold, *params]


def _postgres(filters: Filters, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    messages = MessageFact._meta.db_table
    code, wanted, params = _wanted(filters, threshold)
    bounds, bound_params = "", []
    for operator, moment in ((">=", filters.since), ("<", filters.until)):
        if moment is not None:
            bounds += f" AND written_at {operator} %s"
            bound_params.append(moment)
    sequences = (
        f"SELECT string_agg(code, '' ORDER BY written_at, message_id) AS seq FROM (SELECT conversation_id, "
        f"written_at, message_id, CAST({code} AS TEXT) AS code FROM {messages} WHERE {wanted}) AS coded "
        "GROUP BY conversation_id"
    )
    sql = (
        "SELECT 0, hk, code, n, NULL FROM (SELECT FLOOR(date_part('epoch', written_at) / 3600)::bigint AS hk, "
        f"{code} AS code, COUNT(*) AS n FROM {messages} WHERE {wanted}{bounds} GROUP BY hk, code) AS hours "
        f"UNION ALL SELECT 1, NULL, NULL, NULL, (SELECT string_agg(seq, ',') FROM ({sequences}) AS sequences)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *bound_params, *params])
        rows = cursor.fetchall()
    hours = np.array([(hour, code, n) for part, hour, code, n, _ in rows if part == 0], dtype=float)
    text = next((seq for part, *_, seq in rows if part == 1), None) or ""
    # One digit a message, a comma between conversations.
    digits = np.frombuffer(text.encode("ascii"), dtype=np.uint8)
    comma = digits == ord(",")
    codes = digits[~comma].astype(np.int64) - ord("0")
    windows = windows_around_posts(
        np.cumsum(comma)[~comma], np.arange(len(codes)), codes, WINDOW_MESSAGES, MARKETING, HELP
    )
    return hours.reshape(-1, 3), windows


def _sqlite(filters: Filters, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    messages = MessageFact._meta.db_table
    code, wanted, params = _wanted(filters, threshold)
    # Time and code in one number: whole epoch seconds × 8 + code (exact far beyond 2100).
    sql = f"SELECT conversation_id, ROUND({epoch_sql('written_at')}) * 8 + {code} FROM {messages} WHERE {wanted}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = np.array(cursor.fetchall(), dtype=float).reshape(-1, 2)
    conversation, packed = rows[:, 0], rows[:, 1]
    seconds = np.floor(packed / 8)
    codes = (packed - seconds * 8).astype(np.int64)
    written = np.ones(len(rows), dtype=bool)
    if filters.since is not None:
        written &= seconds >= filters.since.timestamp()
    if filters.until is not None:
        written &= seconds < filters.until.timestamp()
    keys, sizes = np.unique(np.floor(seconds[written] / HOUR) * 8 + codes[written], return_counts=True)
    hours = np.column_stack([np.floor(keys / 8), keys % 8, sizes])
    # Within a second, the message id decides, as on PostgreSQL: rows come in id order, and the sort is stable.
    windows = windows_around_posts(conversation, packed - codes, codes, WINDOW_MESSAGES, MARKETING, HELP)
    return hours.reshape(-1, 3), windows


def load_word_of_mouth(filters: Filters, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """(hourly counts: [UTC hour, code, n] rows for messages written in the filters' range;
    conversations: [marketing, before sum, before n, after sum, after n] rows), from one query."""
    if connection.vendor == "postgresql":
        return _postgres(filters, threshold)
    return _sqlite(filters, threshold)
