"""Two monitors at once (two hosts running `townsquare run`): every warning and breach is sent once."""

import threading

import pytest
from django.db import connection, connections

from tests.sla.helpers import MONDAY_9, converse, minutes, policy
from townsquare.events.models import Event
from townsquare.sla.clocks import start_clocks
from townsquare.sla.monitor import check

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor == "sqlite", reason="needs row locks across connections")
def test_four_monitors_at_once_send_each_breach_once(twitter, monkeypatch):
    monkeypatch.setattr("townsquare.sla.monitor._escalate", lambda conversation: False)
    policy(first_response_minutes=30, resolution_minutes=60)
    ids = [converse(twitter, ("in", MONDAY_9 + minutes(n % 5))).pk for n in range(60)]
    start_clocks(ids, now=MONDAY_9)
    barrier = threading.Barrier(4)
    errors = []

    def monitor():
        try:
            barrier.wait()
            check(now=MONDAY_9 + minutes(120), batch=7)
        except Exception as exc:  # surfaced below, with the thread's own traceback lost
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=monitor) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    breaches = list(Event.objects.filter(kind="sla.breached").values_list("conversation_id", "data__metric"))
    assert len(breaches) == len(set(breaches)) == 120
