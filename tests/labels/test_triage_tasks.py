"""The fast and semantic triage tasks on stored messages, with the real pipeline."""

from dataclasses import replace

import pytest
from django_tasks_db.models import DBTaskResult

from tests.inbox.helpers import msg
from tests.labels.builders import store, thread
from townsquare.events.models import Event
from townsquare.inbox.models import Conversation
from townsquare.labels import duplicates
from townsquare.labels.models import MessageLabels
from townsquare.labels.services import correct
from townsquare.labels.tasks import triage_fast_task, triage_semantic_task
from townsquare.people.models import Identity
from townsquare.triage import pipeline
from townsquare.triage.dedupe import Fingerprint
from townsquare.triage.labels import KINDS, PRIORITIES, SENTIMENTS

pytestmark = pytest.mark.django_db

COMPLAINT = "My order never arrived and nobody answers my emails. This is unacceptable, I want a refund!"
QUESTION = "Hi, where can I download the invoice for my last order? My email is dana@example.com"


@pytest.fixture(autouse=True)
def fresh_duplicate_index():
    # The index is process-wide; each test's database starts empty, so must the index.
    duplicates.forget()
    yield
    duplicates.forget()


def semantic_tasks() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=triage_semantic_task.module_path))


def test_fast_task_stores_labels_rolls_up_logs_once_and_enqueues_the_semantic_path(twitter):
    m = thread(twitter, COMPLAINT, "We're sorry! Please DM us your order number.", QUESTION, outbound_at=1)
    ids = [message.pk for message in m.values()]

    assert triage_fast_task.call(ids) == {"labelled": 2, "failed": 0}

    rows = MessageLabels.objects.in_bulk()
    assert set(rows) == {m["t0"].pk, m["t2"].pk}  # outbound messages are not triaged
    for row in rows.values():
        assert row.status == "fast" and row.triage_version == pipeline.TRIAGE_VERSION
        assert row.kind in KINDS and row.sentiment in SENTIMENTS and row.priority in PRIORITIES
        assert len(row.language) >= 2 and row.fast_at is not None
        assert row.duplicate_key == ""  # the semantic path stores it, from the fingerprint
        assert row.conversation_id == m["t0"].conversation_id
    [email] = rows[m["t2"].pk].pii
    assert QUESTION[email["start"] : email["end"]] == "dana@example.com" and email["kind"] == "email"
    conversation = Conversation.objects.get(pk=m["t0"].conversation_id)
    assert conversation.triage_pending is False and conversation.kind in KINDS and conversation.priority
    [event] = Event.objects.filter(kind="triage.labelled")
    assert event.data["path"] == "fast" and event.data["labelled"] == 2 and event.data["failed"] == 0
    [task] = semantic_tasks()
    assert task.queue_name == "semantic" and sorted(task.args_kwargs["args"][0]) == sorted(rows)


def test_brand_handles_of_the_channel_reach_the_pipeline(twitter, monkeypatch):
    m = thread(twitter, "@acme_help my router keeps rebooting")
    Identity.objects.create(channel=twitter, external_id="b1", handle="@acme_help", is_brand=True)
    seen = []
    real = pipeline.triage_fast
    monkeypatch.setattr(
        pipeline,
        "triage_fast",
        lambda texts, handles=(), addressed=None: (
            seen.append(list(handles)) or real(texts, handles, addressed)
        ),
    )

    triage_fast_task.call([m["t0"].pk])

    assert seen == [["@acme_help"]]


def test_semantic_task_stores_intents_fingerprint_and_duplicate_groups(twitter, hook):
    first = thread(twitter, COMPLAINT)["t0"]
    again = store(hook, msg("copy", text=COMPLAINT))["copy"]  # the same text on another channel
    other = thread(twitter, QUESTION, prefix="q")["q0"]
    ids = [first.pk, again.pk, other.pk]
    triage_fast_task.call(ids)

    assert triage_semantic_task.call(ids) == {"labelled": 3, "failed": 0}

    rows = MessageLabels.objects.in_bulk(ids)
    for row in rows.values():
        assert row.status == "semantic" and row.semantic_at is not None
        assert 1 <= len(row.intents) <= 3 and all(isinstance(score, float) for _, score in row.intents)
        assert Fingerprint.from_bytes(bytes(row.fingerprint)).exact_key == row.duplicate_key
        assert len(row.duplicate_key) == 32
    assert (rows[first.pk].duplicate_group, rows[first.pk].duplicate_match) == (str(first.pk), None)
    assert (rows[again.pk].duplicate_group, rows[again.pk].duplicate_match) == (str(first.pk), "exact")
    assert rows[other.pk].duplicate_group == str(other.pk)
    assert Event.objects.filter(kind="triage.labelled", data__path="semantic").count() == 1


def test_a_new_process_index_is_warmed_from_stored_fingerprints(twitter, hook):
    first = thread(twitter, COMPLAINT)["t0"]
    triage_fast_task.call([first.pk])
    triage_semantic_task.call([first.pk])
    duplicates.forget()  # as if a new worker process started

    later = store(hook, msg("later", text=COMPLAINT))["later"]
    triage_fast_task.call([later.pk])
    triage_semantic_task.call([later.pk])

    labels = MessageLabels.objects.get(pk=later.pk)
    assert (labels.duplicate_group, labels.duplicate_match) == (str(first.pk), "exact")


def test_the_semantic_path_waits_for_fast_labels(twitter):
    message = thread(twitter, QUESTION)["t0"]
    assert triage_semantic_task.call([message.pk]) == {"labelled": 0, "failed": 0}
    assert not MessageLabels.objects.exists()


def test_kind_re_decided_by_the_semantic_heads_is_stored_unless_a_person_corrected_it(
    twitter, alice, monkeypatch
):
    m = thread(twitter, QUESTION, "where is it?")
    ids = [m["t0"].pk, m["t1"].pk]
    triage_fast_task.call(ids)
    correct(m["t1"], alice, "kind", "question")
    real = pipeline.triage_semantic
    monkeypatch.setattr(
        pipeline,
        "triage_semantic",
        lambda texts, *context: [
            replace(r, kind="spam", kind_score=0.9, invites_reply=False) for r in real(texts, *context)
        ],
    )

    triage_semantic_task.call(ids)

    refined, corrected = MessageLabels.objects.get(pk=m["t0"].pk), MessageLabels.objects.get(pk=m["t1"].pk)
    assert (refined.kind, refined.kind_score, refined.not_for_us) == ("spam", 0.9, True)
    assert (corrected.kind, corrected.kind_score) == ("question", 1.0)
