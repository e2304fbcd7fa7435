"""The saved views' open counts read one index and no table rows: at a million messages there are
~20,000 open conversations, and a table lookup for each cost 15 of the count's 17 ms on SQLite."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.web.care_builders import care_conversation, profile, queue
from townsquare.inbox.visibility import visible_conversations
from townsquare.web.saved_views import open_counts, saved_views, visible_queues

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's EXPLAIN QUERY PLAN")
@pytest.mark.parametrize("who", ["alice", "carol"])
def test_open_counts_are_read_from_a_covering_index(request, twitter, who):
    user = request.getfixturevalue(who)
    devices = queue("Devices")
    if who == "alice":
        profile(user, queues=[devices])
    for i in range(5):
        care_conversation(
            twitter, f"question {i}", in_queue=devices if i % 2 else None, assignee=user if i == 4 else None
        )
    views = saved_views(user, list(visible_queues(user)))
    conversations = visible_conversations(user).filter(not_for_us=False)
    with CaptureQueriesContext(connection) as captured:
        counts = open_counts(conversations, views)
    assert counts["all"] == 5 and counts["mine"] == 1
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {captured[-1]['sql']}")
        plan = " | ".join(str(row[-1]) for row in cursor.fetchall())
    assert "COVERING INDEX conversation_breaching" in plan, plan
