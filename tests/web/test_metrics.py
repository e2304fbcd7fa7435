"""Prometheus scrapes /metrics: message counters per channel, conversations per status, queue depth."""

import re

import pytest
from django.tasks.base import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.web.conftest import conversation
from townsquare.inbox.models import Channel

pytestmark = pytest.mark.django_db
SCRAPE_TOKEN = "scrape-token-for-tests"  # noqa: S105 (a test value, not a secret)


def samples(body: str) -> dict[str, float]:
    return {m[1]: float(m[2]) for m in re.finditer(r"^(\w+(?:\{[^}]*\})?) (\S+)$", body, re.M)}


def task(status: str) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="townsquare.example.task",
        backend_name="default",
        run_after=timezone.now(),
        exception_class_path="",
        traceback="",
    )


@pytest.fixture
def busy(twitter, hook):
    Channel.objects.filter(pk=twitter.pk).update(
        messages_stored=120, messages_duplicate=7, messages_rejected=3
    )
    conversation(twitter, [("in", "a")], status="open")
    conversation(twitter, [("in", "b")], status="open")
    conversation(hook, [("in", "c")], status="resolved")
    for status in (TaskResultStatus.READY, TaskResultStatus.READY, TaskResultStatus.RUNNING):
        task(status)
    task(TaskResultStatus.SUCCESSFUL)
    task(TaskResultStatus.FAILED)


def test_metrics_in_prometheus_text_format(client, busy):
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    body = response.content.decode()
    values = samples(body)
    assert values['townsquare_messages_stored_total{channel="twitter"}'] == 120
    assert values['townsquare_messages_duplicate_total{channel="twitter"}'] == 7
    assert values['townsquare_messages_rejected_total{channel="twitter"}'] == 3
    assert values['townsquare_messages_stored_total{channel="shop-webhook"}'] == 0
    assert values['townsquare_conversations{status="open"}'] == 2
    assert values['townsquare_conversations{status="resolved"}'] == 1
    assert values['townsquare_conversations{status="closed"}'] == 0
    assert values["townsquare_task_queue_depth"] == 3  # ready and running, not finished ones
    assert "# TYPE townsquare_messages_stored_total counter" in body
    assert "# TYPE townsquare_conversations gauge" in body
    assert "# HELP townsquare_task_queue_depth " in body
    assert body.endswith("\n")


def test_every_sample_has_help_and_type(client, busy):
    body = client.get("/metrics").content.decode()
    for name in {re.match(r"\w+", s)[0] for s in samples(body)}:
        assert f"# HELP {name} " in body and f"# TYPE {name} " in body


def test_label_values_are_escaped(client):
    Channel.objects.create(name='odd "name" \\ here')
    body = client.get("/metrics").content.decode()
    assert 'channel="odd \\"name\\" \\\\ here"' in body


def test_with_a_token_set_scrapes_need_the_bearer_token(client, settings, busy):
    settings.METRICS_TOKEN = SCRAPE_TOKEN
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.get("/metrics", headers={"Authorization": f"Basic {SCRAPE_TOKEN}"}).status_code == 401
    response = client.get("/metrics", headers={"Authorization": f"Bearer {SCRAPE_TOKEN}"})
    assert response.status_code == 200
    assert "townsquare_conversations" in response.content.decode()


def test_unauthorized_answer_names_the_scheme_and_reveals_nothing(client, settings, busy):
    settings.METRICS_TOKEN = SCRAPE_TOKEN
    response = client.get("/metrics")
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "townsquare_" not in response.content.decode()
