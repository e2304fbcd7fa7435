"""Replies and status changes drive the SLA clocks: a sent reply meets the first response, resolving meets
the resolution, and a customer writing again after the brand answered starts the next response."""

from datetime import timedelta

from townsquare.inbox.models import Conversation
from townsquare.replies.send import send_reply
from townsquare.replies.status import change_status
from townsquare.sla.clocks import start_clocks
from townsquare.sla.models import ConversationSla, SlaPolicy

from .conftest import customer_message, ingest
from .helpers import SUPPORT, deliver_now


def clocks_running(conversation):
    Conversation.objects.filter(pk=conversation.pk).update(invites_reply=True)
    SlaPolicy.objects.create(
        name="Standard", first_response_minutes=60, next_response_minutes=30, resolution_minutes=480
    )
    start_clocks([conversation.pk])
    conversation.refresh_from_db()
    assert conversation.sla_due_at is not None


def test_a_delivered_reply_meets_the_first_response_and_resolving_stops_the_clocks(alice, dana_asks):
    clocks_running(dana_asks)
    deliver_now(send_reply(alice, dana_asks, SUPPORT))
    sla = ConversationSla.objects.get(pk=dana_asks.pk)
    assert sla.first_response_met_at is not None
    change_status(alice, dana_asks, "resolved")
    sla.refresh_from_db()
    assert sla.resolution_met_at is not None
    assert Conversation.objects.get(pk=dana_asks.pk).sla_due_at is None


def test_a_scheduled_reply_that_was_undone_meets_nothing(alice, dana_asks):
    from townsquare.replies.send import undo

    clocks_running(dana_asks)
    undo(alice, send_reply(alice, dana_asks, SUPPORT))
    assert ConversationSla.objects.get(pk=dana_asks.pk).first_response_met_at is None


def test_the_customer_writing_after_a_resolve_reopens_with_a_next_response_clock(alice, twitter, dana_asks):
    clocks_running(dana_asks)
    reply = send_reply(alice, dana_asks, SUPPORT)
    deliver_now(reply)
    change_status(alice, dana_asks, "resolved")
    again = customer_message("t2", "It still has not arrived", parent=reply.message.external_id)
    again.created_at = reply.sent_at + timedelta(minutes=5)  # written after the brand's reply
    ingest(twitter, again)
    dana_asks.refresh_from_db()
    assert dana_asks.status == "open"
    sla = ConversationSla.objects.get(pk=dana_asks.pk)
    assert sla.next_response_started_at is not None and sla.next_response_met_at is None
    assert dana_asks.sla_due_at is not None
