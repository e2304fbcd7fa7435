"""Conversation roll-up of inbound labels (labels.rollup)."""

import pytest

from tests.labels.builders import label, thread
from townsquare.inbox.models import Conversation
from townsquare.labels.rollup import roll_up

pytestmark = pytest.mark.django_db


def rolled(conversation_id) -> Conversation:
    roll_up([conversation_id])
    return Conversation.objects.get(pk=conversation_id)


def test_language_first_known_kind_most_pressing_sentiment_latest_priority_highest(twitter):
    m = thread(twitter, "ok", "hello there", "this is broken", "thanks a lot")
    label(m["t0"], language="und", kind="chatter", invites_reply=False, priority="low", sentiment="neutral")
    label(m["t1"], language="pt", kind="question", priority="normal", sentiment="neutral")
    label(m["t2"], language="en", kind="problem", priority="urgent", sentiment="negative")
    label(m["t3"], language="en", kind="praise", priority="low", sentiment="positive", invites_reply=False)

    conversation = rolled(m["t0"].conversation_id)

    assert conversation.language == "pt"  # the first inbound message that has one ("und" is none)
    assert conversation.kind == "problem"
    assert conversation.sentiment == "positive"
    assert conversation.priority == "urgent"
    assert conversation.invites_reply is True
    assert conversation.not_for_us is False
    assert conversation.triage_pending is False


def test_complaint_outranks_every_other_kind(twitter):
    m = thread(twitter, "a", "b")
    label(m["t0"], kind="question")
    label(m["t1"], kind="complaint")
    assert rolled(m["t0"].conversation_id).kind == "complaint"


def test_not_for_us_only_when_every_inbound_message_is(twitter):
    m = thread(twitter, "buy followers", "cheap followers", "is my order late?")
    label(m["t0"], kind="spam", not_for_us=True)
    label(m["t1"], kind="spam", not_for_us=True)
    conversation_id = m["t0"].conversation_id
    assert rolled(conversation_id).not_for_us is False  # t2 is not labelled yet
    assert Conversation.objects.get(pk=conversation_id).triage_pending is True

    label(m["t2"], kind="question", not_for_us=False)
    assert rolled(conversation_id).not_for_us is False

    m["t2"].labels.not_for_us = True
    m["t2"].labels.save()
    assert rolled(conversation_id).not_for_us is True


def test_outbound_messages_do_not_count(twitter):
    m = thread(twitter, "where is my parcel?", "We're on it!", outbound_at=1)
    label(m["t0"], kind="question", sentiment="negative")
    conversation = rolled(m["t0"].conversation_id)
    assert (conversation.kind, conversation.sentiment, conversation.triage_pending) == (
        "question",
        "negative",
        False,
    )


def test_nothing_labelled_leaves_blank_values_and_pending(twitter):
    m = thread(twitter, "hello?")
    conversation = rolled(m["t0"].conversation_id)
    assert (conversation.language, conversation.kind, conversation.priority) == ("", "", "")
    assert conversation.invites_reply is None
    assert conversation.triage_pending is True


def test_a_failed_message_is_not_pending_but_keeps_the_conversation_in_view(twitter):
    m = thread(twitter, "spam spam", "????")
    label(m["t0"], kind="spam", not_for_us=True)
    label(m["t1"], kind="", status="failed", error="ValueError: bad")
    conversation = rolled(m["t0"].conversation_id)
    assert conversation.triage_pending is False
    assert conversation.not_for_us is False
    assert conversation.kind == "spam"


def test_ingest_marks_new_conversations_with_inbound_messages_pending(twitter):
    inbound = thread(twitter, "question?")
    assert Conversation.objects.get(pk=inbound["t0"].conversation_id).triage_pending is True
