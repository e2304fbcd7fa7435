"""One message that makes the pipeline raise never holds up the others; it is retried, then marked."""

import pytest

from tests.labels.builders import thread
from tests.tasks.helpers import events, run_worker
from townsquare.labels import duplicates
from townsquare.labels.models import MessageLabels
from townsquare.labels.semantic import label_semantic
from townsquare.labels.tasks import TriageIncomplete, triage_fast_task
from townsquare.triage import pipeline

pytestmark = pytest.mark.django_db

POISON = "this text makes the pipeline raise"


@pytest.fixture(autouse=True)
def no_backoff(settings):
    settings.TASK_RETRY_BASE_SECONDS = 0
    duplicates.forget()
    yield
    duplicates.forget()


def poisoned(real, calls):
    """The real pipeline function, except that any batch holding POISON raises."""

    def run(texts, *args):
        calls.append(list(texts))
        if POISON in texts:
            raise RuntimeError("poisoned input")
        return real(texts, *args)

    return run


@pytest.fixture
def messages(twitter):
    return thread(twitter, "Where is my parcel?", POISON, "The app crashes when I log in")


def test_the_others_are_labelled_and_the_bad_one_is_failed(messages, monkeypatch):
    calls = []
    monkeypatch.setattr(pipeline, "triage_fast", poisoned(pipeline.triage_fast, calls))
    ids = [m.pk for m in messages.values()]

    with pytest.raises(TriageIncomplete, match="1 of 3 messages failed the fast path"):
        triage_fast_task.call(ids)

    rows = MessageLabels.objects.in_bulk(ids)
    assert [rows[m.pk].status for m in messages.values()] == ["fast", "failed", "fast"]
    bad = rows[messages["t1"].pk]
    assert (bad.error, bad.attempts, bad.kind) == ("RuntimeError: poisoned input", 1, "")
    assert len(calls) == 4  # the batch, then one call per message
    [event] = events("triage.labelled")
    assert (event["labelled"], event["failed"]) == (2, 1)


def test_retries_run_only_the_failed_message_and_it_stays_failed_after_the_limit(messages, monkeypatch):
    calls = []
    monkeypatch.setattr(pipeline, "triage_fast", poisoned(pipeline.triage_fast, calls))
    monkeypatch.setattr(pipeline, "triage_semantic", lambda texts, *context: [])  # not under test here
    ids = [m.pk for m in messages.values()]
    triage_fast_task.enqueue(ids)

    run_worker()

    bad = MessageLabels.objects.get(pk=messages["t1"].pk)
    assert (bad.status, bad.attempts) == ("failed", 3)
    assert calls[4:] == [[POISON], [POISON]]  # attempts 2 and 3 retried the failed message alone
    [gave_up] = events("task.gave_up")
    assert gave_up["task"] == triage_fast_task.module_path and gave_up["attempts"] == 3
    assert MessageLabels.objects.filter(status="fast").count() == 2


def test_a_semantic_failure_keeps_the_fast_labels(messages, monkeypatch):
    ids = [m.pk for m in messages.values()]
    triage_fast_task.call(ids)
    monkeypatch.setattr(pipeline, "triage_semantic", poisoned(pipeline.triage_semantic, []))

    outcome = label_semantic(ids)

    assert set(outcome.failed) == {messages["t1"].pk} and len(outcome.labelled) == 2
    bad = MessageLabels.objects.get(pk=messages["t1"].pk)
    assert (bad.status, bad.attempts, bad.error) == ("failed", 1, "RuntimeError: poisoned input")
    assert bad.kind and bad.fast_at is not None  # the fast labels stay visible
    assert MessageLabels.objects.filter(status="semantic").count() == 2
