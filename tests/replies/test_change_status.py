"""Moving a conversation through its statuses, and a customer's reply reopening it."""

import pytest

from townsquare.events.models import Event
from townsquare.inbox.models import Conversation
from townsquare.inbox.visibility import Forbidden
from townsquare.replies.models import CsatSurvey
from townsquare.replies.status import InvalidTransition, change_status

from .conftest import customer_message, ingest


def status_events(conversation):
    return list(
        Event.objects.filter(kind="conversation.status_changed", conversation_id=conversation.pk).values_list(
            "data", flat=True
        )
    )


def test_alice_walks_a_conversation_from_new_to_resolved_and_each_step_is_logged(alice, dana_asks):
    for status in ("open", "pending", "open", "resolved"):
        change_status(alice, dana_asks, status)
    dana_asks.refresh_from_db()
    assert dana_asks.status == "resolved"
    assert dana_asks.resolved_at is not None
    assert [(e["from"], e["to"]) for e in status_events(dana_asks)] == [
        ("new", "open"),
        ("open", "pending"),
        ("pending", "open"),
        ("open", "resolved"),
    ]


@pytest.mark.parametrize(
    ("path", "target"),
    [((), "pending"), ((), "resolved"), (("open",), "new"), (("open", "resolved"), "pending"), ((), "new")],
)
def test_moves_the_workflow_does_not_allow_are_refused(alice, dana_asks, path, target):
    for status in path:
        change_status(alice, dana_asks, status)
    with pytest.raises(InvalidTransition):
        change_status(alice, dana_asks, target)
    assert Conversation.objects.get(pk=dana_asks.pk).status == (path[-1] if path else "new")


def test_an_unknown_status_is_refused(alice, dana_asks):
    with pytest.raises(InvalidTransition, match="not a status"):
        change_status(alice, dana_asks, "archived")


def test_only_a_supervisor_closes_an_open_conversation(alice, carol, dana_asks):
    change_status(alice, dana_asks, "open")
    with pytest.raises(InvalidTransition, match="supervisor"):
        change_status(alice, dana_asks, "closed")
    change_status(carol, dana_asks, "closed")
    assert Conversation.objects.get(pk=dana_asks.pk).status == "closed"


def test_agent_closes_a_resolved_conversation_and_a_closed_one_never_moves(alice, dana_asks):
    for status in ("open", "resolved", "closed"):
        change_status(alice, dana_asks, status)
    with pytest.raises(InvalidTransition):
        change_status(alice, dana_asks, "open")


def test_reopening_a_resolved_conversation_clears_resolved_at(alice, dana_asks):
    for status in ("open", "resolved", "open"):
        change_status(alice, dana_asks, status)
    dana_asks.refresh_from_db()
    assert dana_asks.resolved_at is None


def test_resolving_requests_a_csat_survey_once(alice, dana_asks):
    for status in ("open", "resolved", "open", "resolved"):
        change_status(alice, dana_asks, status)
    assert CsatSurvey.objects.filter(conversation=dana_asks).count() == 1
    assert Event.objects.filter(kind="csat.requested", conversation_id=dana_asks.pk).count() == 2


def test_bob_the_ambassador_cannot_change_a_conversation_not_assigned_to_him(bob, community_question):
    with pytest.raises(Forbidden):
        change_status(bob, community_question, "open")
    Conversation.objects.filter(pk=community_question.pk).update(assignee=bob)
    community_question.refresh_from_db()
    change_status(bob, community_question, "open")


def test_bob_cannot_touch_a_twitter_conversation_he_cannot_see(bob, dana_asks):
    with pytest.raises(Forbidden):
        change_status(bob, dana_asks, "open")


@pytest.mark.parametrize("status", ["pending", "resolved"])
def test_a_customer_reply_through_ingest_reopens_pending_and_resolved(alice, twitter, dana_asks, status):
    change_status(alice, dana_asks, "open")
    change_status(alice, dana_asks, status)
    ingest(twitter, customer_message("t2", "Still nothing arrived", parent="t1", minute=30))
    dana_asks.refresh_from_db()
    assert dana_asks.status == "open"
    assert dana_asks.resolved_at is None
    last = status_events(dana_asks)[-1]
    assert (last["from"], last["to"], last["reason"]) == (status, "open", "customer replied")


def test_a_customer_reply_leaves_closed_and_new_conversations_as_they_are(carol, twitter, dana_asks):
    ingest(twitter, customer_message("t2", "hello?", parent="t1", minute=5))
    assert Conversation.objects.get(pk=dana_asks.pk).status == "new"
    change_status(carol, dana_asks, "closed")
    ingest(twitter, customer_message("t3", "hello again?", parent="t2", minute=10))
    assert Conversation.objects.get(pk=dana_asks.pk).status == "closed"


def test_ingest_keeps_waiting_since_on_the_oldest_unanswered_customer_message(twitter, dana_asks):
    first_written = dana_asks.started_at
    assert dana_asks.waiting_since == first_written
    ingest(twitter, customer_message("t2", "anyone?", parent="t1", minute=5))
    dana_asks.refresh_from_db()
    assert dana_asks.waiting_since == first_written
    brand = customer_message("b1", "Sorry Dana, checking now", parent="t2", minute=6, author="acme")
    brand.direction = "out"
    ingest(twitter, brand)
    dana_asks.refresh_from_db()
    assert dana_asks.waiting_since is None
    [later] = ingest(twitter, customer_message("t3", "thanks", parent="b1", minute=9))
    dana_asks.refresh_from_db()
    assert dana_asks.waiting_since is not None and dana_asks.waiting_since > first_written
