"""GET /api/v1/messages pages by (received_at, id): the database has an index for that order."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_messages_are_indexed_by_when_they_were_received():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "inbox_message")
    index = constraints["message_received"]
    assert index["index"] and index["columns"] == ["received_at", "id"]


def test_listing_messages_in_arrival_order_uses_it():
    if connection.vendor != "sqlite":
        pytest.skip("the query plan is checked on SQLite; PostgreSQL picks by table statistics")
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN SELECT id FROM inbox_message ORDER BY received_at, id LIMIT 51")
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "message_received" in plan and "TEMP B-TREE" not in plan


def test_finding_the_replies_waiting_for_new_parents_uses_the_orphan_index_by_equality():
    if connection.vendor != "sqlite":
        pytest.skip("the query plan is checked on SQLite; PostgreSQL picks by table statistics")
    from townsquare.inbox.ingest.reattach import ORPHANS_OF_CHANNEL

    query = (
        "EXPLAIN QUERY PLAN SELECT id FROM inbox_message WHERE parent_external_id IN ('1', '2') AND "
        + ORPHANS_OF_CHANNEL.replace("%s", "1")
    )
    with connection.cursor() as cursor:
        cursor.execute(query)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "message_orphans (channel_id=? AND parent_external_id=?)" in plan
