"""One writer at a time per channel while ingesting.

SQLite already serializes writers (IMMEDIATE transactions take the write lock at BEGIN).
On PostgreSQL a transaction-scoped advisory lock per channel gives the same guarantee, so the
duplicate check, id allocation and threading in store.py see a stable picture and concurrent
deliveries of the same messages store each one exactly once.
"""

from django.db import connection

# Distinguishes our advisory locks from any other application's in the same database.
_NAMESPACE = 0x7453  # "tS"


def lock_channel_for_ingest(channel_id: int) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_NAMESPACE, channel_id])
