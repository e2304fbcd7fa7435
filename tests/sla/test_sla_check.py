"""`townsquare sla_check`: a warning once when a deadline is near, a breach once when it passes."""

import json

import pytest
from django.core.management import call_command

from tests.sla.helpers import MONDAY_9, converse, minutes, policy, say
from townsquare.events.models import Event
from townsquare.inbox.models import Conversation
from townsquare.sla.clocks import on_inbound, on_outbound_reply, start_clocks
from townsquare.sla.models import ConversationSla
from townsquare.sla.monitor import check

pytestmark = pytest.mark.django_db
T = MONDAY_9


def sla_events(kind=None):
    events = Event.objects.filter(kind__startswith="sla.").exclude(kind__startswith="sla.policy")
    # Clock starts are logged for insights; these tests are about warnings and breaches.
    events = events.exclude(kind="sla.clock_started")
    if kind:
        events = events.filter(kind=kind)
    return [(e.kind, e.conversation_id, e.data["metric"], e.data["due_at"]) for e in events.order_by("id")]


def at(monkeypatch, *moments):
    """The command's passes run at these moments, one per pass."""
    passes = iter(moments)
    monkeypatch.setattr("townsquare.sla.management.commands.sla_check.check", lambda: check(now=next(passes)))


@pytest.fixture
def dana(twitter):
    policy(
        first_response_minutes=60, warn_before_minutes=15, resolution_minutes=None, next_response_minutes=30
    )
    conversation = converse(twitter, ("in", T))
    start_clocks([conversation.pk], now=T)
    return conversation


def test_nothing_is_sent_while_the_deadline_is_far(dana):
    assert check(now=T + minutes(44)).warnings == 0
    assert sla_events() == []


def test_a_warning_goes_out_once_when_the_deadline_is_near(dana):
    first = check(now=T + minutes(45))
    again = check(now=T + minutes(50))
    assert (first.warnings, again.warnings) == (1, 0)
    due = (T + minutes(60)).isoformat()
    assert sla_events() == [("sla.warning", dana.pk, "first_response", due)]
    assert ConversationSla.objects.get(pk=dana.pk).first_response_warned


def test_a_breach_goes_out_once_when_the_deadline_passes(dana):
    check(now=T + minutes(45))
    check(now=T + minutes(61))
    check(now=T + minutes(62))
    check(now=T + minutes(300))
    kinds = [kind for kind, *_ in sla_events()]
    assert kinds == ["sla.warning", "sla.breached"]
    sla = ConversationSla.objects.get(pk=dana.pk)
    assert sla.first_response_breached
    # Still running and overdue: it keeps sorting first, but is not looked at again.
    assert Conversation.objects.get(pk=dana.pk).sla_due_at == T + minutes(60)
    assert sla.next_check_at is None


def test_a_breach_found_late_is_not_preceded_by_a_stale_warning(dana):
    result = check(now=T + minutes(90))
    assert (result.warnings, result.breaches) == (0, 1)
    assert [kind for kind, *_ in sla_events()] == ["sla.breached"]


def test_a_reply_in_time_means_no_event(dana):
    on_outbound_reply(dana, now=T + minutes(10))
    check(now=T + minutes(120))
    assert sla_events() == []


def test_a_reply_that_came_in_through_ingest_stops_the_clock_before_a_breach(dana):
    say(dana, "out", T + minutes(30))  # the brand answered natively; nobody called on_outbound_reply
    check(now=T + minutes(120))
    assert sla_events() == []
    assert ConversationSla.objects.get(pk=dana.pk).first_response_met_at == T + minutes(30)


def test_each_next_response_cycle_warns_and_breaches_once(dana):
    on_outbound_reply(dana, now=T + minutes(10))
    say(dana, "in", T + minutes(20))
    on_inbound([dana.pk], now=T + minutes(20))
    check(now=T + minutes(60))  # due 20 + 30 = 50: breached
    say(dana, "out", T + minutes(70))
    on_outbound_reply(dana, now=T + minutes(70))
    say(dana, "in", T + minutes(80))
    on_inbound([dana.pk], now=T + minutes(80))
    check(now=T + minutes(100))  # due 110, warn from 95
    assert [(kind, metric) for kind, _, metric, _ in sla_events()] == [
        ("sla.breached", "next_response"),
        ("sla.warning", "next_response"),
    ]


def test_near_breach_escalates_the_conversation(dana):
    result = check(now=T + minutes(50))
    assert result.escalations == 1
    escalated = Event.objects.get(kind="conversation.escalated", conversation_id=dana.pk)
    assert escalated.data["reason"] == "sla_near_breach"
    assert escalated.data["automatic"] is True
    check(now=T + minutes(61))
    assert Event.objects.filter(kind="conversation.escalated").count() == 1


def test_a_finished_conversation_is_never_flagged(dana):
    Conversation.objects.filter(pk=dana.pk).update(status="resolved", resolved_at=T + minutes(5))
    check(now=T + minutes(120))
    assert sla_events() == []


def test_the_command_prints_its_counts_as_json(dana, capsys, monkeypatch):
    at(monkeypatch, T + minutes(61))
    monkeypatch.setattr("townsquare.sla.monitor._escalate", lambda conversation: True)
    call_command("sla_check", "--json")
    assert json.loads(capsys.readouterr().out) == {
        "breaches": 1,
        "checked": 1,
        "escalations": 1,
        "warnings": 0,
    }


def test_a_breach_is_sent_to_webhook_subscribers(dana):
    from townsquare.hooks.models import Delivery, Endpoint

    Endpoint.objects.create(url="https://example.org/hook", kinds=["sla.breached"])
    check(now=T + minutes(61))
    assert Delivery.objects.count() == 1


def test_a_second_monitor_holding_the_same_ids_sends_nothing_again(dana):
    from townsquare.sla.monitor import CheckResult, _flag_batch

    # Both passes read the id before either flagged it; the second gets the lock after the first
    # committed and finds nothing due any more.
    first, second = CheckResult(), CheckResult()
    _flag_batch([dana.pk], T + minutes(61), first)
    _flag_batch([dana.pk], T + minutes(61), second)
    assert (first.breaches, second.breaches) == (1, 0)
    assert len(sla_events("sla.breached")) == 1


def test_a_bad_interval_is_refused(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--interval"):
        call_command("sla_check", "--loop", "--interval", "0")
