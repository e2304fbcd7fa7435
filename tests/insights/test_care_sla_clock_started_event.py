"""Starting an SLA clock logs `sla.clock_started` once: the denominator of SLA attainment."""

import pytest

from tests.sla.helpers import MONDAY_9, converse, minutes, policy
from townsquare.events.log import record
from townsquare.events.models import Event
from townsquare.insights.models import ConversationFact
from townsquare.insights.projection import refresh
from townsquare.sla.clocks import on_status, start_clocks

pytestmark = pytest.mark.django_db
T = MONDAY_9


def starts():
    rows = Event.objects.filter(kind="sla.clock_started").order_by("id")
    return [(e.conversation_id, e.data["metric"], e.data["due_at"], e.data["policy_id"]) for e in rows]


def test_each_clock_start_is_logged_once_however_often_the_clocks_are_reconciled(twitter):
    standard = policy(first_response_minutes=60, resolution_minutes=480)
    dana = converse(twitter, ("in", T))
    start_clocks([dana.pk], now=T + minutes(1))
    start_clocks([dana.pk], now=T + minutes(2))
    start_clocks([dana.pk], now=T + minutes(3))
    assert starts() == [
        (dana.pk, "first_response", (T + minutes(60)).isoformat(), standard.pk),
        (dana.pk, "resolution", (T + minutes(480)).isoformat(), standard.pk),
    ]
    event = Event.objects.filter(kind="sla.clock_started").first()
    assert event.channel_id == twitter.pk


def test_a_reopen_starts_and_logs_a_new_resolution_clock(twitter):
    policy(first_response_minutes=60, resolution_minutes=480)
    dana = converse(twitter, ("in", T), ("out", T + minutes(5)))
    start_clocks([dana.pk], now=T + minutes(6))
    dana.status, dana.resolved_at = "resolved", T + minutes(10)
    dana.save()
    on_status(dana, now=T + minutes(10))
    dana.status = "open"
    dana.save()
    on_status(dana, now=T + minutes(20))
    metrics = [metric for _, metric, _, _ in starts()]
    assert metrics == ["first_response", "resolution", "resolution"]


def test_a_clock_without_a_target_is_not_logged(twitter):
    policy(first_response_minutes=None, next_response_minutes=None, resolution_minutes=480)
    dana = converse(twitter, ("in", T))
    start_clocks([dana.pk], now=T)
    assert [metric for _, metric, _, _ in starts()] == ["resolution"]


def test_the_projection_marks_a_started_clock_as_tracked(twitter):
    policy(first_response_minutes=60, resolution_minutes=480)
    dana = converse(twitter, ("in", T))
    # The helper writes rows, not ingest's events: log the creation the fold starts a fact from.
    record("conversation.created", channel_id=twitter.pk, conversation_id=dana.pk, occurred_at=T)
    start_clocks([dana.pk], now=T)
    refresh()
    fact = ConversationFact.objects.get(pk=dana.pk)
    assert (fact.sla_first_response, fact.sla_resolution) == ("running", "running")
