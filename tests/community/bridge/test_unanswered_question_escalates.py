"""Nobody answered Farid usefully within the space's hours: his question lands in the staff queue,
exactly once, and not a minute early."""

from datetime import timedelta

import pytest

from tests.care.routing_helpers import events, owner
from townsquare.care.routing import route
from townsquare.community.bridge.unanswered import due_topics, escalate_topic, escalate_unanswered
from townsquare.community.posting import answer
from townsquare.community.voting import vote
from townsquare.events.models import Event
from townsquare.inbox.visibility import visible_conversations

pytestmark = pytest.mark.django_db


def conversation_of(topic):
    topic.refresh_from_db()
    return topic.conversation


def test_not_before_its_time(farids_question):
    just_before = farids_question.created_at + timedelta(hours=24) - timedelta(seconds=1)
    assert escalate_unanswered(now=just_before) == []
    farids_question.refresh_from_db()
    assert farids_question.escalated_at is None
    assert not Event.objects.filter(kind="community.question_escalated").exists()


def test_it_lands_in_the_staff_queue_alice_sees(
    farids_question, care_desk, alice, bob, django_capture_on_commit_callbacks
):
    conversation = conversation_of(farids_question)
    route([conversation.pk])
    assert owner(conversation) == bob  # the ambassadors had their chance first
    due = farids_question.created_at + timedelta(hours=24)
    with django_capture_on_commit_callbacks(execute=True):
        [done] = escalate_unanswered(now=due)
    farids_question.refresh_from_db()
    assert farids_question.escalated_at == due
    conversation.refresh_from_db()
    assert conversation.escalation_level == "agent"
    assert conversation.queue == care_desk["devices"]  # not back to the ambassadors' queue
    assert conversation.assignee == alice
    assert visible_conversations(alice).filter(pk=conversation.pk).exists()
    [step] = events("conversation.escalated", conversation)
    assert step.data["reason"] == "unanswered in community for 24 h" and step.data["to_level"] == "agent"
    [escalated] = events("community.question_escalated")
    assert escalated.conversation_id == conversation.pk
    assert escalated.data == done
    assert (
        done["topic"] == farids_question.pk
        and done["hours"] == 24
        and done["queue"] == care_desk["devices"].pk
    )


def test_exactly_once(farids_question):
    due = farids_question.created_at + timedelta(hours=24)
    assert len(escalate_unanswered(now=due)) == 1
    assert escalate_unanswered(now=due + timedelta(hours=1)) == []
    # Two workers that both saw it due: only the first claim fires.
    assert escalate_topic(farids_question.pk, now=due) is None
    assert Event.objects.filter(kind="community.question_escalated").count() == 1
    assert Event.objects.filter(kind="conversation.escalated").count() == 1


def test_the_space_sets_the_hours(farids_question, devices_space):
    devices_space.unanswered_after_hours = 2
    devices_space.save()
    assert due_topics(farids_question.created_at + timedelta(hours=1, minutes=59)) == []
    assert due_topics(farids_question.created_at + timedelta(hours=2)) == [farids_question.pk]
    [done] = escalate_unanswered(now=farids_question.created_at + timedelta(hours=2))
    assert done["hours"] == 2
    [step] = events("conversation.escalated")
    assert step.data["reason"] == "unanswered in community for 2 h"


def test_an_upvoted_answer_is_enough(farids_question, members):
    helpful = answer(members["dana"], farids_question, "Reset them: hold both buttons for 10 s.")
    due = farids_question.created_at + timedelta(hours=25)
    assert due_topics(due) == [farids_question.pk]  # an answer with no votes is not enough
    vote(members["bob"], post=helpful, value=1)
    assert due_topics(due) == []
    assert escalate_topic(farids_question.pk, now=due) is None  # the claim checks again


def test_an_accepted_answer_is_enough(farids_question, members):
    from townsquare.community.accepting import accept

    accept(members["farid"], answer(members["dana"], farids_question, "Update the firmware first."))
    assert escalate_unanswered(now=farids_question.created_at + timedelta(days=3)) == []


def test_a_question_without_its_conversation_is_ingested_when_it_escalates(farids_question):
    from townsquare.community.models import Topic

    Topic.objects.filter(pk=farids_question.pk).update(conversation=None)
    farids_question.refresh_from_db()
    # The message is already stored: ingest is idempotent and links the same conversation again.
    [done] = escalate_unanswered(now=farids_question.created_at + timedelta(hours=24))
    farids_question.refresh_from_db()
    assert done["conversation"] == farids_question.conversation_id is not None
