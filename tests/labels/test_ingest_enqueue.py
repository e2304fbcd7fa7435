"""Ingest asks for triage of the inbound messages it stored: after commit, one task per 500."""

import pytest
from django_tasks_db.models import DBTaskResult

from tests.inbox.helpers import msg
from townsquare.inbox.ingest.store import store_messages
from townsquare.inbox.models import Message
from townsquare.labels.tasks import triage_fast_task

pytestmark = pytest.mark.django_db


def triage_tasks() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=triage_fast_task.module_path).order_by("enqueued_at"))


def test_inbound_messages_are_enqueued_on_queue_triage_in_chunks_of_500(
    twitter, django_capture_on_commit_callbacks
):
    messages = [msg(f"m{i}", minute=i % 50) for i in range(1_200)]
    messages += [msg("reply", parent="m0", direction="out", author="brand")]

    with django_capture_on_commit_callbacks(execute=False) as pending:
        store_messages(twitter, messages, source="test")
        assert triage_tasks() == []  # nothing before the commit
    for callback in pending:
        callback()

    tasks = triage_tasks()
    assert [(task.queue_name, task.priority) for task in tasks] == [("triage", 0)] * 3
    chunks = [task.args_kwargs["args"][0] for task in tasks]
    assert [len(chunk) for chunk in chunks] == [500, 500, 200]
    inbound = set(Message.objects.filter(direction="in").values_list("id", flat=True))
    assert sorted(sum(chunks, [])) == sorted(inbound)
    assert Message.objects.get(external_id="reply").pk not in inbound


def test_duplicates_are_not_enqueued_again(twitter, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        store_messages(twitter, [msg("a"), msg("b")], source="test")
    with django_capture_on_commit_callbacks(execute=True):
        store_messages(twitter, [msg("a"), msg("b")], source="test")
    assert len(triage_tasks()) == 1


def test_outbound_only_batches_enqueue_nothing(twitter, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        store_messages(twitter, [msg("out", direction="out", author="brand")], source="test")
    assert triage_tasks() == []


def test_triage_off_enqueues_nothing(twitter, settings, django_capture_on_commit_callbacks):
    settings.TRIAGE_ON_INGEST = False
    with django_capture_on_commit_callbacks(execute=True):
        store_messages(twitter, [msg("a")], source="test")
    assert triage_tasks() == []


def test_file_imports_wait_behind_live_messages(twitter, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        store_messages(twitter, [msg("from-file")], source="import:7")
        store_messages(twitter, [msg("live")], source="webhook")
    assert [task.priority for task in triage_tasks()] == [-10, 0]
    assert DBTaskResult.objects.ready().first().args_kwargs["args"][0] == [
        Message.objects.get(external_id="live").pk
    ]
