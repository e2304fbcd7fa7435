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


def test_when_no_staff_queue_takes_community_questions_the_first_staff_queue_does(
    farids_question, alice, bob, django_capture_on_commit_callbacks
):
    from tests.care.routing_helpers import on_duty, queue, team

    ambassadors_only = queue("Community", position=20, rules={"channel_kind": ["community"]})
    twitter_only = queue(
        "Twitter", position=50, rules={"channel_kind": ["import"]}, team=team("Social", alice)
    )
    on_duty(bob, queues=[ambassadors_only])
    on_duty(alice)
    conversation = conversation_of(farids_question)
    route([conversation.pk])
    with django_capture_on_commit_callbacks(execute=True):
        [done] = escalate_unanswered(now=farids_question.created_at + timedelta(hours=24))
    conversation.refresh_from_db()
    assert done["queue"] == twitter_only.pk and conversation.queue == twitter_only
    assert conversation.assignee == alice


def test_without_queues_it_waits_unqueued_where_every_agent_looks(farids_question, alice, bruno):
    conversation = conversation_of(farids_question)
    [done] = escalate_unanswered(now=farids_question.created_at + timedelta(hours=24))
    conversation.refresh_from_db()
    assert done["queue"] is None and conversation.queue_id is None
    for agent in (alice, bruno):
        assert visible_conversations(agent).filter(pk=conversation.pk).exists()


def test_resolved_in_care_but_still_unanswered_in_public_reopens(farids_question):
    from townsquare.replies.status import change_status

    conversation = conversation_of(farids_question)
    change_status(None, conversation, "open")
    change_status(None, conversation, "resolved")
    [done] = escalate_unanswered(now=farids_question.created_at + timedelta(hours=24))
    conversation.refresh_from_db()
    assert conversation.status == "open" and conversation.escalation_level == "agent"
    assert done["to_level"] == "agent"


def test_a_closed_conversation_stays_closed(farids_question):
    from townsquare.inbox.models import Conversation

    conversation = conversation_of(farids_question)
    Conversation.objects.filter(pk=conversation.pk).update(status="closed")
    [done] = escalate_unanswered(now=farids_question.created_at + timedelta(hours=24))
    conversation.refresh_from_db()
    assert conversation.status == "closed" and done["to_level"] == "ambassador"
    assert events("conversation.escalated") == []
    farids_question.refresh_from_db()
    assert farids_question.escalated_at is not None  # once: the sweep does not come back to it


def test_held_imported_and_staff_questions_never_escalate(members, devices_space, alice, settings):
    from tests.community.conftest import at_trust_level
    from townsquare.community.models import Topic
    from townsquare.community.posting import ask

    at_trust_level(alice, 2)
    staff = ask(alice, devices_space, "Which features do you want next?", "Tell us.")
    imported = ask(members["dana"], devices_space, "An old question from the archive", "Imported.")
    Topic.objects.filter(pk=imported.pk).update(external_id="stackexchange:beer:1")
    settings.COMMUNITY_SPAM_HOLD_PERCENT = 0
    held = ask(members["dana"], devices_space, "Buy cheap watches here", "Best prices.")
    assert held.visibility == "held"
    later = max(t.created_at for t in (staff, imported, held)) + timedelta(days=7)
    assert due_topics(later) == [] and escalate_unanswered(now=later) == []


def test_bobs_one_click_hand_over_lands_with_staff_too(
    farids_question, care_desk, alice, bob, django_capture_on_commit_callbacks
):
    from townsquare.care.escalation import escalate

    conversation = conversation_of(farids_question)
    route([conversation.pk])
    assert owner(conversation) == bob
    with django_capture_on_commit_callbacks(execute=True):
        escalate(bob, conversation, reason="needs a replacement, staff only")
    conversation.refresh_from_db()
    assert conversation.queue == care_desk["devices"] and conversation.assignee == alice
