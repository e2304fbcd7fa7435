"""Two pollers of one channel at once (a cron line and the worker): each mention is stored once."""

import threading

import pytest
from django.db import connection

from townsquare.connectors.health import state_of
from townsquare.connectors.polling import poll_channel
from townsquare.inbox.models import Message

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # The in-memory SQLite test database answers a second writer "table is locked" at once instead
    # of waiting; a file database (WAL, busy timeout) waits, PostgreSQL takes the locks under test.
    pytest.mark.skipif(connection.vendor == "sqlite", reason="needs writers that wait for each other"),
]


def test_two_simultaneous_polls_store_each_mention_once_and_keep_the_newest_cursor(acme, fake):
    mentions = [fake.mention(f"question {number}") for number in range(12)]
    fake.delay = 0.3  # both pollers have fetched before either commits
    outcomes, errors = [], []

    def poll():
        try:
            outcomes.append(poll_channel(acme.pk))
        except Exception as exc:  # surfaced by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    pollers = [threading.Thread(target=poll) for _ in range(2)]
    for poller in pollers:
        poller.start()
    for poller in pollers:
        poller.join(30)
    assert not errors
    assert sorted(o.stored for o in outcomes) == [0, 12]
    assert all(not o.error for o in outcomes)
    assert Message.objects.filter(channel=acme).count() == 12
    assert state_of(acme.pk).cursor["since_id"] == mentions[-1]["id"]
