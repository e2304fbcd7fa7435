"""The clocks through the services: start, stop on a reply, next response, pause, resume, stop, reopen."""

import pytest

from tests.sla.helpers import MONDAY_9, converse, minutes, policy, say
from townsquare.care.models import Queue
from townsquare.inbox.models import Conversation
from townsquare.sla.clocks import on_inbound, on_outbound_reply, on_status, start_clocks
from townsquare.sla.models import BusinessCalendar, ConversationSla

pytestmark = pytest.mark.django_db
T = MONDAY_9


def clocks(conversation) -> ConversationSla:
    return ConversationSla.objects.get(pk=conversation.pk)


def due_of(conversation):
    return Conversation.objects.values_list("sla_due_at", flat=True).get(pk=conversation.pk)


def set_status(conversation, status, at):
    conversation.status = status
    if status == "resolved":
        conversation.resolved_at = at
    conversation.save()
    on_status(conversation, now=at)


def test_a_question_that_invites_a_reply_starts_first_response_and_resolution(twitter):
    policy()
    dana = converse(twitter, ("in", T))
    start_clocks([dana.pk], now=T + minutes(1))
    sla = clocks(dana)
    assert sla.first_response_due_at == T + minutes(60)
    assert sla.resolution_due_at == T + minutes(480)
    assert sla.next_response_due_at is None
    assert due_of(dana) == T + minutes(60)


def test_chatter_that_does_not_invite_a_reply_gets_no_clock(twitter):
    policy()
    chatter = converse(twitter, ("in", T), invites_reply=False)
    assert start_clocks([chatter.pk], now=T) == {}
    assert not ConversationSla.objects.exists()
    assert due_of(chatter) is None


def test_without_any_policy_nothing_is_timed(twitter):
    dana = converse(twitter, ("in", T))
    start_clocks([dana.pk], now=T)
    assert not ConversationSla.objects.exists()


def test_a_policy_without_a_first_response_target_times_only_what_it_tracks(twitter):
    policy(first_response_minutes=None, next_response_minutes=None)
    dana = converse(twitter, ("in", T))
    start_clocks([dana.pk], now=T)
    assert clocks(dana).first_response_due_at is None
    assert due_of(dana) == T + minutes(480)


def test_the_clock_starts_when_townsquare_received_the_message(twitter):
    policy()
    dana = converse(twitter, ("in", T))
    late = dana.messages.get()
    late.received_at = T + minutes(30)  # a delayed webhook: the team could not answer before
    late.save()
    start_clocks([dana.pk], now=T + minutes(31))
    assert clocks(dana).first_response_due_at == T + minutes(90)


def test_a_reply_stops_the_first_response_clock(twitter):
    policy()
    dana = converse(twitter, ("in", T))
    start_clocks([dana.pk], now=T)
    on_outbound_reply(dana, now=T + minutes(20))
    sla = clocks(dana)
    assert sla.first_response_met_at == T + minutes(20)
    assert not sla.is_running("first_response")
    assert due_of(dana) == dana.sla_due_at == T + minutes(480)  # resolution is next


def test_a_brand_reply_already_in_the_thread_meets_the_first_response(twitter):
    policy()
    imported = converse(twitter, ("in", T), ("out", T + minutes(5)))
    start_clocks([imported.pk], now=T + minutes(10))
    assert clocks(imported).first_response_met_at == T + minutes(5)


def test_the_customer_writing_again_after_a_reply_starts_next_response(twitter):
    policy()
    dana = converse(twitter, ("in", T))
    start_clocks([dana.pk], now=T)
    say(dana, "out", T + minutes(10))
    on_outbound_reply(dana, now=T + minutes(10))
    say(dana, "in", T + minutes(40))
    on_inbound([dana.pk], now=T + minutes(40))
    sla = clocks(dana)
    assert sla.next_response_started_at == T + minutes(40)
    assert sla.next_response_due_at == T + minutes(70)
    assert due_of(dana) == T + minutes(70)
    # The next reply meets it; a third customer message starts a fresh cycle.
    say(dana, "out", T + minutes(50))
    on_outbound_reply(dana, now=T + minutes(50))
    assert clocks(dana).next_response_met_at == T + minutes(50)
    say(dana, "in", T + minutes(90))
    on_inbound([dana.pk], now=T + minutes(90))
    sla = clocks(dana)
    assert sla.next_response_due_at == T + minutes(120)
    assert sla.next_response_met_at is None


def test_writing_twice_before_any_reply_keeps_the_first_response_clock(twitter):
    policy()
    dana = converse(twitter, ("in", T))
    start_clocks([dana.pk], now=T)
    say(dana, "in", T + minutes(5))
    on_inbound([dana.pk], now=T + minutes(5))
    sla = clocks(dana)
    assert sla.next_response_started_at is None
    assert sla.first_response_due_at == T + minutes(60)


def test_pending_pauses_resolution_and_open_resumes_it_later(twitter):
    policy(first_response_minutes=None, next_response_minutes=None)
    dana = converse(twitter, ("in", T))
    start_clocks([dana.pk], now=T)
    set_status(dana, "pending", T + minutes(100))
    assert clocks(dana).resolution_paused_at == T + minutes(100)
    assert due_of(dana) is None  # nothing runs while we wait on the customer
    set_status(dana, "open", T + minutes(160))
    sla = clocks(dana)
    assert sla.resolution_paused_at is None
    assert sla.resolution_due_at == T + minutes(480 + 60)
    assert due_of(dana) == T + minutes(540)


def days(n: float):
    return minutes(n * 24 * 60)


def test_a_pause_counts_business_time_only(twitter):
    weekdays = {day: [["09:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}
    office = BusinessCalendar.objects.create(name="Office", time_zone="UTC", hours=weekdays)
    policy(first_response_minutes=None, next_response_minutes=None, resolution_minutes=600, calendar=office)
    friday_16 = T + days(4) + minutes(7 * 60)
    dana = converse(twitter, ("in", friday_16))
    start_clocks([dana.pk], now=friday_16)
    # 1 h on Friday, 8 h on Monday, 1 h on Tuesday.
    assert clocks(dana).resolution_due_at == T + days(8) + minutes(60)
    set_status(dana, "pending", T + days(7) + minutes(60))  # Monday 10:00: 8 h left
    set_status(dana, "open", T + days(9))  # Wednesday 09:00
    assert clocks(dana).resolution_due_at == T + days(9) + minutes(8 * 60)


def test_resolving_stops_every_clock(twitter):
    policy()
    dana = converse(twitter, ("in", T))
    start_clocks([dana.pk], now=T)
    set_status(dana, "resolved", T + minutes(30))
    sla = clocks(dana)
    assert sla.resolution_met_at == T + minutes(30)
    assert sla.first_response_met_at == T + minutes(30)
    assert sla.nearest_due() is None
    assert due_of(dana) is None
    assert sla.next_check_at is None


def test_reopening_starts_a_new_resolution_cycle(twitter):
    policy(next_response_minutes=None)
    dana = converse(twitter, ("in", T), ("out", T + minutes(5)))
    start_clocks([dana.pk], now=T + minutes(5))
    set_status(dana, "resolved", T + minutes(30))
    set_status(dana, "open", T + minutes(100))
    sla = clocks(dana)
    assert sla.resolution_started_at == T + minutes(100)
    assert sla.resolution_met_at is None
    assert sla.resolution_due_at == T + minutes(580)
    assert due_of(dana) == T + minutes(580)


def test_closing_a_pending_conversation_stops_the_paused_clock(twitter):
    policy()
    dana = converse(twitter, ("in", T), ("out", T + minutes(5)))
    start_clocks([dana.pk], now=T + minutes(5))
    set_status(dana, "pending", T + minutes(6))
    set_status(dana, "closed", T + minutes(60))
    sla = clocks(dana)
    assert sla.resolution_met_at == T + minutes(60)
    assert sla.resolution_paused_at is None
    assert due_of(dana) is None


def test_queueing_moves_running_clocks_to_the_queue_policy(twitter):
    policy("Default")
    billing = Queue.objects.create(name="Billing")
    policy("Billing urgent", queue=billing, priority="urgent", first_response_minutes=15)
    dana = converse(twitter, ("in", T), priority="urgent")
    start_clocks([dana.pk], now=T)
    assert clocks(dana).first_response_due_at == T + minutes(60)
    Conversation.objects.filter(pk=dana.pk).update(queue=billing)
    start_clocks([dana.pk], now=T + minutes(2))
    sla = clocks(dana)
    assert sla.policy.name == "Billing urgent"
    assert sla.first_response_due_at == T + minutes(15)
    assert due_of(dana) == T + minutes(15)


def test_starting_twice_changes_nothing(twitter):
    policy()
    dana = converse(twitter, ("in", T))
    start_clocks([dana.pk], now=T)
    before = clocks(dana).updated_at
    start_clocks([dana.pk], now=T + minutes(3))
    assert clocks(dana).updated_at == before
    assert ConversationSla.objects.count() == 1


def test_a_batch_costs_the_same_queries_however_large(twitter, django_assert_max_num_queries):
    policy()
    few = [converse(twitter, ("in", T + minutes(n))).pk for n in range(2)]
    many = [converse(twitter, ("in", T + minutes(n))).pk for n in range(40)]
    with django_assert_max_num_queries(10) as small:
        start_clocks(few, now=T)
    with django_assert_max_num_queries(10) as large:
        start_clocks(many, now=T)
    assert len(large.captured_queries) == len(small.captured_queries)
    assert ConversationSla.objects.count() == 42


def test_clocks_of_a_deleted_policy_keep_running_and_still_pause(twitter):
    standard = policy(first_response_minutes=None, next_response_minutes=None)
    dana = converse(twitter, ("in", T))
    start_clocks([dana.pk], now=T)
    standard.delete()
    set_status(dana, "pending", T + minutes(100))
    set_status(dana, "open", T + minutes(160))
    sla = clocks(dana)
    assert sla.policy is None
    assert sla.resolution_due_at == T + minutes(540)
    assert due_of(dana) == T + minutes(540)
