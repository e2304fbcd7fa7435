"""Conversations climb the ladder on their own: urgency, a request for a person, a sentiment spiral, SLA risk."""

import pytest

from tests.labels.console_factories import labelled
from tests.web.conftest import conversation
from townsquare.care.escalation import check_automatic, escalate_automatically
from townsquare.events.models import Event

pytestmark = pytest.mark.django_db


def automatic_steps(conversation):
    return [
        (e.data["reason"], e.data["from_level"], e.data["to_level"])
        for e in Event.objects.filter(kind="conversation.escalated", conversation_id=conversation.pk)
        if e.data["automatic"]
    ]


def test_an_urgent_question_goes_from_bob_to_staff_once(bobs_question):
    bobs_question.priority = "urgent"
    bobs_question.save()
    assert check_automatic([bobs_question.pk]) == 1
    assert check_automatic([bobs_question.pk]) == 0
    bobs_question.refresh_from_db()
    assert bobs_question.escalation_level == "agent" and bobs_question.assignee_id is None
    assert automatic_steps(bobs_question) == [("urgent", "ambassador", "agent")]
    step = Event.objects.get(kind="conversation.escalated", conversation_id=bobs_question.pk)
    assert step.actor_id is None


def test_urgency_does_not_move_a_conversation_staff_already_hold(alices_complaint):
    alices_complaint.priority = "urgent"
    alices_complaint.save()
    assert check_automatic([alices_complaint.pk]) == 0


@pytest.mark.parametrize("text", ["Can I talk to a human please", "请转人工"])
def test_a_customer_asking_for_a_person_reaches_staff(forum, bob, text):
    question = conversation(forum, [("in", "My console will not start"), ("in", text)])
    question.assignee = bob
    question.save()
    assert check_automatic([question.pk]) == 1
    assert automatic_steps(question) == [("customer_asked_for_human", "ambassador", "agent")]


def test_asking_for_a_manager_reaches_a_supervisor(alices_complaint, alice):
    conversation_ = conversation(
        alices_complaint.channel, [("in", "This is the third time. I want to speak to your manager.")]
    )
    conversation_.assignee = alice
    conversation_.save()
    check_automatic([conversation_.pk])
    assert automatic_steps(conversation_) == [("customer_asked_for_manager", "agent", "supervisor")]


def test_a_negative_spiral_climbs_one_rung(twitter, alice):
    spiral = conversation(
        twitter, [("in", "still broken"), ("in", "nobody answers"), ("in", "worst service ever")]
    )
    spiral.assignee = alice
    spiral.save()
    for message in spiral.messages.all():
        labelled(message, sentiment="negative", kind="complaint")
    assert check_automatic([spiral.pk]) == 1
    assert automatic_steps(spiral) == [("negative_sentiment_spiral", "agent", "supervisor")]


def test_two_negative_messages_are_not_a_spiral(twitter, alice):
    calm = conversation(twitter, [("in", "still broken"), ("in", "hmm"), ("in", "nobody answers")])
    calm.assignee = alice
    calm.save()
    sentiments = ["negative", "neutral", "negative"]
    for message, sentiment in zip(calm.messages.order_by("created_at"), sentiments, strict=True):
        labelled(message, sentiment=sentiment)
    assert check_automatic([calm.pk]) == 0


def test_sla_risk_escalates_once_and_finished_conversations_stay(alices_complaint, bobs_question):
    assert escalate_automatically(alices_complaint, reason="sla_near_breach") == "supervisor"
    assert escalate_automatically(alices_complaint, reason="sla_near_breach") is None
    bobs_question.status = "resolved"
    bobs_question.save()
    assert escalate_automatically(bobs_question, reason="sla_near_breach") is None
    with pytest.raises(ValueError, match="unknown automatic escalation reason"):
        escalate_automatically(alices_complaint, reason="boredom")
