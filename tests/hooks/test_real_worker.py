"""A real `db_worker` process sends deliveries and schedules their retries as tasks: the receiver
fails twice (500, then a dropped connection) and gets the third attempt, after growing waits."""

import pytest

from tests.inbox.fresh_db import fresh_database
from tests.tasks.processes import django, start, stop
from tests.waiting import wait_until

pytestmark = pytest.mark.django_db

WORKER = ["db_worker", "--no-reload", "--queue-name", "webhooks", "--interval", "0.05", "--no-startup-delay"]
BACKOFF = 0.3  # seconds before the second attempt; the third waits four times as long

SETUP = """
from tests.hooks.builders import inbound
from townsquare.hooks.services import create_endpoint
from townsquare.inbox.channels import OPERATOR
from townsquare.inbox.ingest.store import store_messages
from townsquare.inbox.models import Channel
create_endpoint(OPERATOR, {url!r}, ["conversation.created"])
store_messages(Channel.objects.create(name="twitter"), [inbound("t1")], source="test")
print(json.dumps(1))
"""

ATTEMPTS = """
from townsquare.hooks.models import Delivery
delivery = Delivery.objects.get()
print(json.dumps({
    "status": delivery.status,
    "attempts": [[a.number, a.started_at.timestamp(), a.status_code, a.error]
                 for a in delivery.attempt_log.order_by("number")],
}))
"""


def test_the_worker_retries_with_backoff_until_the_receiver_answers(tmp_path, receiver, monkeypatch):
    monkeypatch.setenv("TOWNSQUARE_WEBHOOK_BACKOFF_SECONDS", str(BACKOFF))
    monkeypatch.setenv("TOWNSQUARE_WEBHOOK_TIMEOUT", "5")
    monkeypatch.setenv("TOWNSQUARE_TRIAGE", "false")
    receiver.script = [500, "close"]
    with fresh_database(tmp_path) as (url, query):
        django(SETUP.format(url=receiver.url), url, tmp_path)
        worker = start(WORKER, url, tmp_path, tmp_path / "worker.log")
        try:
            wait_until(lambda: query("SELECT status FROM hooks_delivery") == [("succeeded",)], timeout=60)
        finally:
            stop(worker)
        seen = django(ATTEMPTS, url, tmp_path)

    assert seen["status"] == "succeeded"
    numbers, starts, codes, errors = zip(*seen["attempts"], strict=True)
    assert numbers == (1, 2, 3) and codes == (500, None, 200)
    assert "closed the connection" in errors[1]
    first_wait, second_wait = starts[1] - starts[0], starts[2] - starts[1]
    assert first_wait >= 0.75 * BACKOFF - 0.01
    assert second_wait >= 0.75 * 4 * BACKOFF - 0.01
    assert second_wait > first_wait
    assert len(receiver.requests) == 3
